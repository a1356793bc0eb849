/**
 * `pnpm --filter @wekeza/example-customer-portal start`: the portal on PORTAL_PORT (3001) against
 * the bank at WEKEZA_API_URL (http://127.0.0.1:3000; start it with `pnpm server`).
 */
import { startPortal } from './server.ts';

const port = Number(process.env.PORTAL_PORT ?? 3001);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORTAL_PORT must be a port number, got "${process.env.PORTAL_PORT}"`);
  process.exit(2);
}
const bankUrl = process.env.WEKEZA_API_URL ?? 'http://127.0.0.1:3000';
const host = process.env.PORTAL_HOST ?? '127.0.0.1';

try {
  const portal = await startPortal({ port, host, bankUrl });
  console.log(`Wekeza Customer Portal listening on ${portal.url} (bank: ${bankUrl})`);
  const stop = () => {
    portal.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error);
  process.exit(1);
}
