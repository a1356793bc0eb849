import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's root folder, found from the running file whether it runs from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      JSON.parse(readFileSync(manifest, 'utf8')).name === '@wekeza/reference-server'
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the @wekeza/reference-server package root');
    dir = parent;
  }
}
