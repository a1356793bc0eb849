/**
 * The container quick start (`docker compose up --build`), checked against the code. CI machines
 * have no container runtime, so nothing is built or run here: the Dockerfile and compose.yaml are
 * parsed (dockerfile-ast, yaml) and every claim they make is checked — the variables the server
 * reads, the ports, the healthcheck paths, the package scripts the build runs, the stages.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { initKeys, KEY_FILES } from '../src/keys.ts';
import { packageRoot } from '../src/package-root.ts';
import { startTestBank, type TestBank } from '../src/testing/index.ts';

const root = join(packageRoot(), '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  build?: { context: string; target: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(read('compose.yaml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = DockerfileParser.parse(read('Dockerfile'));
const instructions = dockerfile.getInstructions();
const stages = dockerfile.getFROMs().map((from) => from.getBuildStage());

/** `${NAME:-default}` and `${NAME}` as compose substitutes them, with nothing set in the shell. */
const interpolate = (text: string) =>
  text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_m, _name, fallback) => fallback ?? '');

/** Every workspace package: its name, folder and scripts. */
const workspace = ['packages', 'examples'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => existsSync(join(root, dir, name, 'package.json')))
    .map((name) => {
      const manifest = JSON.parse(read(`${dir}/${name}/package.json`)) as {
        name: string;
        scripts?: Record<string, string>;
      };
      return { name: manifest.name, dir: `${dir}/${name}`, scripts: manifest.scripts ?? {} };
    }),
);
const rootManifest = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** A pnpm command line must name a script (or a binary) that exists. */
function checkPnpm(args: string[]): void {
  expect(args[0]).toBe('pnpm');
  if (args[1] === 'install') return;
  if (args[1] === 'exec') {
    expect(Object.keys(rootManifest.devDependencies), `pnpm exec ${args[2]}`).toContain(args[2]);
    return;
  }
  if (args[1] === '--filter') {
    const target = workspace.find((p) => p.name === args[2]?.replace(/"/g, '').replace(/\.\.\.$/, ''));
    expect(target, `a package named ${args[2]}`).toBeDefined();
    if (args[3] !== 'install')
      expect(Object.keys(target?.scripts ?? {}), `${args[2]}'s scripts`).toContain(args[3]);
    return;
  }
  expect(Object.keys(rootManifest.scripts), 'root scripts').toContain(args[1]);
}

/** The port a healthcheck fetches, and its path. */
function healthcheckUrl(test: string[] | string): URL {
  const text = Array.isArray(test) ? test.join(' ') : test;
  const match = /http:\/\/127\.0\.0\.1:(\d+|' \+ \(process\.env\.PORT \|\| (\d+)\) \+ ')(\/[\w/-]*)/.exec(
    text,
  );
  if (!match) throw new Error(`no URL in healthcheck ${text}`);
  return new URL(`http://127.0.0.1:${match[2] ?? match[1]}${match[3]}`);
}

/** Names of the environment variables a source tree reads. */
function variablesRead(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (!['generated', 'testing', 'node_modules'].includes(entry.name)) walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const pattern of [
          /\benv\.([A-Z][A-Z0-9_]+)/g,
          /\benv\[['`"]([A-Z][A-Z0-9_]+)['`"]\]/g,
          /\b(?:secret|integer|json)\(env, '([A-Z][A-Z0-9_]+)'/g,
        ])
          for (const m of text.matchAll(pattern)) names.add(m[1] as string);
      }
    }
  };
  walk(dir);
  return names;
}

describe('the Dockerfile', () => {
  it('when built, then it installs from the lockfile, builds in stages, and runs the server slim, as a non-root user, with a healthcheck on /healthz', () => {
    expect(stages).toEqual(['workspace', 'prod-deps', 'server']);
    const runs = instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent() ?? '');
    expect(runs).toContain('pnpm install --frozen-lockfile');
    for (const run of runs.filter((r) => r.startsWith('pnpm ')))
      checkPnpm(run.split(/\s+/).filter((word) => !word.startsWith('--') || word === '--filter'));
    // The last stage: its own instructions only.
    const lastFrom = dockerfile.getFROMs().at(-1)?.getRange().start.line ?? 0;
    const last = instructions.filter((i) => i.getRange().start.line > lastFrom);
    const user = last.find((i) => i.getKeyword() === 'USER')?.getArgumentsContent();
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const health = last.find((i) => i.getKeyword() === 'HEALTHCHECK')?.getArgumentsContent() ?? '';
    expect(healthcheckUrl(health).pathname).toBe('/healthz');
    const exposed = last.find((i) => i.getKeyword() === 'EXPOSE')?.getArgumentsContent();
    expect(exposed).toBe('3000');
    expect(last.find((i) => i.getKeyword() === 'ENV')?.getArgumentsContent()).toMatch(/\bPORT=3000\b/);
    expect(healthcheckUrl(health).port).toBe('3000');
    // The entry point is the built CLI, and every file copied from a stage is one the build makes or has.
    expect(last.find((i) => i.getKeyword() === 'ENTRYPOINT')?.getArgumentsContent()).toContain(
      'packages/reference-server/dist/cli.js',
    );
    expect(JSON.parse(read('packages/reference-server/package.json')).bin['wekeza-server']).toBe(
      './dist/cli.js',
    );
    for (const copy of last.filter((i) => i.getKeyword() === 'COPY')) {
      const text = copy.getTextContent();
      const from = /--from=([\w-]+)/.exec(text)?.[1];
      expect(stages.slice(0, -1), text).toContain(from);
      const source = (copy.getArgumentsContent() ?? '').split(/\s+/)[0]?.replace(/^\/app\//, '') ?? '';
      const made = /(^|\/)(dist|node_modules)$/.test(source);
      expect(made || existsSync(join(root, source)), source).toBe(true);
    }
    expect(read('.dockerignore')).toMatch(/\*\*\/node_modules/);
  });
});

describe('compose.yaml', () => {
  let bank: TestBank;
  beforeAll(async () => {
    bank = await startTestBank('sqlite');
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when it starts, then MySQL 8 keeps its data in a volume and says when it is healthy, with row-based binary logs', () => {
    const mysql = compose.services.mysql as Service;
    expect(mysql.image).toMatch(/^mysql:8/);
    expect(mysql.volumes?.some((v) => v.endsWith(':/var/lib/mysql'))).toBe(true);
    expect(Object.keys(compose.volumes)).toContain((mysql.volumes?.[0] ?? '').split(':')[0]);
    expect(mysql.healthcheck?.test.join(' ')).toMatch(/mysqladmin ping/);
    expect(mysql.command).toContain('--binlog-format=ROW');
  });

  it('when the server starts, then its environment is a complete production configuration the server accepts', () => {
    const server = compose.services.server as Service;
    const env = Object.fromEntries(
      Object.entries(server.environment ?? {}).map(([name, value]) => [name, interpolate(String(value))]),
    );
    expect(env.WEKEZA_MODE).toBe('production');
    // The secrets as `keys init` writes them, at the paths the compose file gives.
    const dir = mkdtempSync(join(tmpdir(), 'wekeza-keys-'));
    initKeys(dir);
    const keysCommand = compose.services.keys?.command ?? [];
    expect(keysCommand.slice(0, 2)).toEqual(['keys', 'init']);
    for (const [name, file] of [
      ['WEKEZA_SIGNING_KEY_FILE', KEY_FILES.signingKey],
      ['WEKEZA_AUDIT_SIGNING_KEY_FILE', KEY_FILES.auditSigningKey],
      ['WEKEZA_ENCRYPTION_KEYS_FILE', KEY_FILES.encryptionKeys],
    ] as const) {
      expect(env[name]).toBe(join(keysCommand[2] ?? '', file));
      env[name] = join(dir, file);
    }
    const config = loadConfig(env);
    expect(config).toMatchObject({ mode: 'production', host: '0.0.0.0', port: 3000 });
    expect(config.databaseUrl).toMatch(/^mysql:\/\/wekeza:[^@]+@mysql:3306\/wekeza$/);
    // The server reads the keys from the volume the keys service writes.
    expect(server.volumes).toContain(`keys:${keysCommand[2]}:ro`);
    expect(compose.services.keys?.volumes).toContain(`keys:${keysCommand[2]}`);
  });

  it('when the server reads a variable in production, then compose sets it or docs/operations.md documents it', () => {
    const read_ = variablesRead(join(packageRoot(), 'src'));
    // The scan finds what config.ts reads, or it would prove nothing.
    for (const known of [
      'DATABASE_URL',
      'WEKEZA_SIGNING_KEY',
      'WEKEZA_ISSUER',
      'WEKEZA_ENCRYPTION_KEYS',
      'WEKEZA_AUDIT_SIGNING_KEY',
      'REDIS_URL',
      'NATS_URL',
    ])
      expect(read_).toContain(known);
    const set = new Set(Object.keys(compose.services.server?.environment ?? {}));
    const operations = read('docs/operations.md');
    const missing = [...read_].filter((name) => !set.has(name) && !operations.includes(`\`${name}`));
    expect(missing).toEqual([]);
    // OpenTelemetry's own variables are read by its SDK: the one that turns tracing on is documented.
    expect(operations).toContain('`OTEL_EXPORTER_OTLP_ENDPOINT`');
  });

  it('when a service is published, then its port is the one it listens on and its healthcheck asks', () => {
    const portOf = (service: Service) => (service.ports ?? []).map((p) => p.split(':').at(-1));
    const server = compose.services.server as Service;
    expect(portOf(server)).toEqual([server.environment?.PORT]);
    expect(healthcheckUrl(server.healthcheck?.test ?? []).port).toBe(server.environment?.PORT);
    const portal = compose.services['customer-portal'] as Service;
    expect(portOf(portal)).toEqual([portal.environment?.PORTAL_PORT]);
    expect(healthcheckUrl(portal.healthcheck?.test ?? []).port).toBe(portal.environment?.PORTAL_PORT);
    expect(portal.environment?.WEKEZA_API_URL).toBe(`http://server:${server.environment?.PORT}`);
    const storybook = compose.services.storybook as Service;
    const sbPort = storybook.command?.[storybook.command.indexOf('--port') + 1];
    expect(portOf(storybook)).toEqual([sbPort]);
    expect(healthcheckUrl(storybook.healthcheck?.test ?? []).port).toBe(sbPort);
    // What the portal reads to listen where compose says.
    const portalSource = read('examples/customer-portal/src/main.ts');
    for (const name of Object.keys(portal.environment ?? {}))
      expect(portalSource).toContain(`process.env.${name}`);
  });

  it('when a healthcheck asks a path, then the path answers', async () => {
    const server = compose.services.server as Service;
    for (const path of [healthcheckUrl(server.healthcheck?.test ?? []).pathname, '/healthz']) {
      const res = await fetch(`${bank.url}${path}`);
      expect(res.status, path).toBe(200);
    }
    const portal = compose.services['customer-portal'] as Service;
    const portalPath = healthcheckUrl(portal.healthcheck?.test ?? []).pathname;
    expect(read('examples/customer-portal/src/server.ts')).toContain(`app.get('${portalPath}'`);
    expect(read('packages/widgets/package.json')).toContain('"build-storybook"');
    const storybook = compose.services.storybook as Service;
    expect(storybook.command?.[storybook.command.indexOf('--outDir') + 1]).toBe(
      'packages/widgets/storybook-static',
    );
  });

  it('when a service runs a command, then it is a package script or tool that exists, from a stage the Dockerfile has', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        expect(service.build.context).toBe('.');
        expect(stages, name).toContain(service.build.target);
      }
      if (service.command?.[0] === 'pnpm') {
        checkPnpm(service.command);
      }
    }
  });

  it('when a service depends on another, then it waits for it to be healthy (or, for the keys, done)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect(target, `${name} → ${dependency}`).toBeDefined();
        if (dependency === 'keys') expect(condition).toBe('service_completed_successfully');
        else {
          expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
          expect(target?.healthcheck, dependency).toBeDefined();
        }
      }
    }
    expect(Object.keys(compose.services.server?.depends_on ?? {})).toEqual(['mysql', 'keys']);
    expect(Object.keys(compose.services['customer-portal']?.depends_on ?? {})).toEqual(['server']);
  });

  it('when someone reads the README, then the container path is the third way in, said to be checked statically, not run, in CI', () => {
    const readme = read('README.md');
    expect(readme).toContain('docker compose up --build');
    expect(readme).toMatch(/checked statically/i);
  });

  // The Admin Workbench (examples/admin-workbench): the compose service must name its package and
  // `start` script, and set only the variables it reads, on the port its healthcheck asks.
  it('when the Admin Workbench exists, then its compose service runs its start script on the port it listens on', () => {
    const service = compose.services['admin-workbench'] as Service;
    const manifest = JSON.parse(read('examples/admin-workbench/package.json')) as {
      name: string;
      scripts?: Record<string, string>;
    };
    expect(manifest.name).toBe('@wekeza/example-admin-workbench');
    expect(service.command).toEqual(['pnpm', '--filter', manifest.name, 'start']);
    expect(Object.keys(manifest.scripts ?? {})).toContain('start');
    const source = readdirSync(join(root, 'examples/admin-workbench/src'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => read(`examples/admin-workbench/src/${f}`))
      .join('\n');
    for (const name of Object.keys(service.environment ?? {}))
      expect(source, `the workbench reads ${name}`).toContain(`process.env.${name}`);
    const port = Object.entries(service.environment ?? {}).find(([name]) => /PORT/.test(name))?.[1];
    expect((service.ports ?? []).map((p) => p.split(':').at(-1))).toEqual([port]);
    const health = healthcheckUrl(service.healthcheck?.test ?? []);
    expect(health.port).toBe(port);
    expect(source).toContain(`'${health.pathname}'`);
  });
});
