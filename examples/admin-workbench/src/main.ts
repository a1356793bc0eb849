/**
 * `pnpm --filter @wekeza/example-admin-workbench start`: the Admin Workbench on WORKBENCH_PORT
 * (3002) and WORKBENCH_HOST (127.0.0.1) against the bank at WEKEZA_API_URL
 * (http://127.0.0.1:3000; start it with `pnpm server`).
 */
import { startWorkbench } from './server.ts';

const port = Number(process.env.WORKBENCH_PORT ?? 3002);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`WORKBENCH_PORT must be a port number, got "${process.env.WORKBENCH_PORT}"`);
  process.exit(2);
}
const bankUrl = process.env.WEKEZA_API_URL ?? 'http://127.0.0.1:3000';
const host = process.env.WORKBENCH_HOST ?? '127.0.0.1';

try {
  const workbench = await startWorkbench({ port, host, bankUrl });
  console.log(`Wekeza Admin Workbench listening on ${workbench.url} (bank: ${bankUrl})`);
  const stop = () => {
    workbench.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error);
  process.exit(1);
}
