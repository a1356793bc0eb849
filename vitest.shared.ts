import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Settings every package's vitest project shares: `@wekeza/*` imports resolve to the packages'
 * sources (their `@wekeza/source` export condition), so tests never need a build first.
 */
const root = import.meta.dirname;
const alias = ['sdk', 'risk', 'reference-server', 'widgets'].flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  return Object.entries(manifest.exports as Record<string, Record<string, string> | string>)
    .filter(([, target]) => typeof target === 'object' && target['@wekeza/source'])
    .map(([subpath, target]) => ({
      find: new RegExp(`^${`${manifest.name}${subpath.slice(1)}`.replace(/[/.]/g, '\\$&')}$`),
      replacement: join(
        root,
        'packages',
        dir,
        (target as Record<string, string>)['@wekeza/source'] as string,
      ),
    }))
    .sort((a, b) => b.find.source.length - a.find.source.length);
});

export const sharedResolve = { alias };
