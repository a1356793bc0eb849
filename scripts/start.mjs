// `pnpm start`: the sandbox bank (embedded SQLite), the Customer Portal, the Admin Workbench and
// Storybook together.
// Installs nothing. Every child is `node <script>` (process.execPath), so this works whether or not
// `pnpm` is on PATH (e.g. `npx pnpm@12.4.2 start`). Ports: PORT (3000), PORTAL_PORT (3001),
// WORKBENCH_PORT (3002), STORYBOOK_PORT (6006). Ctrl-C (SIGINT) or SIGTERM stops them all. If one of them fails to start,
// or dies later, the others are stopped and this exits non-zero.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bankPort = process.env.PORT || '3000';
const portalPort = process.env.PORTAL_PORT || '3001';
const workbenchPort = process.env.WORKBENCH_PORT || '3002';
const storybookPort = process.env.STORYBOOK_PORT || '6006';
const bankUrl = `http://127.0.0.1:${bankPort}`;

/** The file a package's `bin` names, resolved from `fromDir`. */
function binOf(fromDir, pkg, name) {
  const require = createRequire(join(fromDir, 'package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const { bin } = require(manifestPath);
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin[name]);
}

const widgetsDir = join(root, 'packages/widgets');
const tsx = binOf(root, 'tsx', 'tsx');

// Storybook's argTypes come from the custom-elements manifest: generate it first.
const manifest = spawnSync(
  process.execPath,
  [
    binOf(widgetsDir, '@custom-elements-manifest/analyzer', 'cem'),
    'analyze',
    '--config',
    'custom-elements-manifest.config.mjs',
    '--quiet',
  ],
  { cwd: widgetsDir, stdio: 'inherit' },
);
if (manifest.status !== 0) {
  console.error('start: generating custom-elements.json failed');
  process.exit(1);
}

const services = [
  {
    name: 'bank',
    cwd: join(root, 'packages/reference-server'),
    args: [tsx, '--conditions=@wekeza/source', 'src/cli.ts', 'serve'],
    env: {
      PORT: bankPort,
      WEKEZA_MODE: 'sandbox',
      // The Admin Workbench: staff sign in with a second factor (their TOTP secrets are printed at
      // start-up), and a demo portfolio is seeded through the API (after listening; once) so the
      // charts mean something the first time. Set either to 0 to turn it off.
      WEKEZA_SANDBOX_STAFF_TOTP: process.env.WEKEZA_SANDBOX_STAFF_TOTP ?? '1',
      WEKEZA_SANDBOX_PORTFOLIO: process.env.WEKEZA_SANDBOX_PORTFOLIO ?? '1',
    },
    probe: `${bankUrl}/healthz`,
    url: bankUrl,
    timeoutMs: 90_000,
  },
  {
    name: 'portal',
    cwd: join(root, 'examples/customer-portal'),
    args: [tsx, '--conditions=@wekeza/source', 'src/main.ts'],
    env: { PORTAL_PORT: portalPort, WEKEZA_API_URL: bankUrl },
    probe: `http://127.0.0.1:${portalPort}/healthz`,
    url: `http://127.0.0.1:${portalPort}`,
    timeoutMs: 90_000,
  },
  {
    name: 'workbench',
    cwd: join(root, 'examples/admin-workbench'),
    args: [tsx, '--conditions=@wekeza/source', 'src/main.ts'],
    env: { WORKBENCH_PORT: workbenchPort, WEKEZA_API_URL: bankUrl },
    probe: `http://127.0.0.1:${workbenchPort}/healthz`,
    url: `http://127.0.0.1:${workbenchPort}`,
    timeoutMs: 90_000,
  },
  {
    name: 'storybook',
    cwd: widgetsDir,
    args: [
      binOf(widgetsDir, 'storybook', 'storybook'),
      'dev',
      '-p',
      storybookPort,
      '--host',
      '127.0.0.1',
      '--exact-port',
      '--no-version-updates',
      '--ci',
      '--quiet',
    ],
    env: { STORYBOOK_DISABLE_TELEMETRY: '1' },
    probe: `http://127.0.0.1:${storybookPort}/`,
    url: `http://127.0.0.1:${storybookPort}`,
    timeoutMs: 180_000,
  },
];

let stopping = false;
let exitCode = 0;
const children = new Map();
/** The bank's startup lines (listening, docs, sandbox users) for the summary. */
const bankLines = [];

function prefixed(name, stream, sink, collect) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      collect?.(line);
      sink.write(`[${name}] ${line}\n`);
    }
  });
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of children.values()) if (child.exitCode === null) child.kill('SIGTERM');
  // Whatever does not stop within 10 s is killed.
  setTimeout(() => {
    for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
  }, 10_000).unref();
}

for (const service of services) {
  const child = spawn(process.execPath, service.args, {
    cwd: service.cwd,
    env: { ...process.env, ...service.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(service.name, child);
  prefixed(
    service.name,
    child.stdout,
    process.stdout,
    service.name === 'bank' ? (l) => bankLines.push(l) : undefined,
  );
  prefixed(service.name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(`start: ${service.name} exited (${signal ?? code}); stopping the others`);
      stopAll(1);
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.log(`\nstart: ${signal}, stopping…`);
    stopAll(0);
  });
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

async function waitFor(service) {
  const deadline = Date.now() + service.timeoutMs;
  while (!stopping) {
    if (await answers(service.probe)) return true;
    if (Date.now() > deadline) {
      console.error(
        `start: ${service.name} did not answer at ${service.probe} within ${service.timeoutMs / 1000} s`,
      );
      stopAll(1);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

const ready = await Promise.all(services.map(waitFor));
if (ready.every(Boolean) && !stopping) {
  const sandbox = bankLines.filter((line) => /Sandbox users|@sandbox\.test|Partner client|TOTP/i.test(line));
  console.log(
    [
      '',
      'Wekeza is running:',
      `  Sandbox bank (API)  ${services[0].url}   (API reference ${services[0].url}/docs)`,
      `  Customer Portal     ${services[1].url}`,
      `  Admin Workbench     ${services[2].url}`,
      `  Storybook           ${services[3].url}`,
      ...sandbox,
      '',
      'Sign in to the portal as customer@sandbox.test, and to the workbench as banker@ or admin@sandbox.test',
      '(then the code of their TOTP secret printed above). The demo portfolio seeds in the background.',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}
