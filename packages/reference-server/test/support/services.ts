import { connect } from 'node:net';

/** The machine's own services the operations tests run against (docs/operations.md). */
const SERVICES = {
  redis: { env: 'TEST_REDIS_URL', url: 'redis://127.0.0.1:6379' },
  nats: { env: 'TEST_NATS_URL', url: 'nats://127.0.0.1:4222' },
} as const;

function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1_500, () => done(false));
  });
}

/**
 * The URL of a service the tests need, or undefined (the tests skip) when it does not answer.
 * Under CI=true a service that does not answer is an error, never a silent skip: `.ci/run` starts them.
 */
export async function testService(name: keyof typeof SERVICES): Promise<string | undefined> {
  const { env, url: fallback } = SERVICES[name];
  const url = process.env[env] || fallback;
  if (await answers(url)) return url;
  if (process.env.CI === 'true' || process.env[env])
    throw new Error(`${name} does not answer at ${url}; .ci/run starts it (see docs/operations.md)`);
  console.warn(`${name} does not answer at ${url}: its tests are skipped (CI=true makes this an error)`);
  return undefined;
}
