import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.ts';

/**
 * Starts `wekeza-server serve` in a process of its own (the benchmarks' server, so that the load
 * generator never shares its event loop) and answers once it listens.
 */
export function serveInChild(
  databaseUrl: string,
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@wekeza/source', join(packageRoot(), 'src/cli.ts'), 'serve'],
    {
      env: { ...process.env, ...env, DATABASE_URL: databaseUrl, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const starting = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('listening on')) return;
      // From here on the server may log a line per request: read and drop them, never keep or scan them.
      child.stdout?.off('data', starting);
      child.stdout?.resume();
      resolve(child);
    };
    child.stdout?.on('data', starting);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) ${output}`)));
  });
}
