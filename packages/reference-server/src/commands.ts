import { createServices } from './app.ts';
import { addDays, isBankDate } from './bank-calendar.ts';
import {
  ConfigError,
  loadConfig,
  SANDBOX_DEFAULT_PARTNER_SECRET,
  SANDBOX_DEFAULT_PASSWORD,
} from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { initKeys } from './keys.ts';
import { DEFAULT_PORTFOLIO, seedPortfolio } from './modules/sandbox/portfolio.ts';
import { SANDBOX_PARTNER_ID, SANDBOX_USERS } from './modules/sandbox/seed.ts';
import { createStaff, StaffCreateError, type StaffRole } from './modules/staff/create.ts';
import type { Tracing } from './observability/tracing.ts';
import { start } from './server.ts';

const USAGE = `usage: wekeza-server <serve|migrate|jobs run [--through YYYY-MM-DD]|audit verify [--tree-size N]|keys init DIR|staff create …>

  serve     apply migrations, seed the sandbox (in sandbox mode) and listen on PORT
  migrate   apply pending migrations to DATABASE_URL and exit
  jobs run  close every bank day not yet closed, through --through (default: yesterday's bank
            date), in order, then exit; safe beside running servers (one close at a time)
  audit verify
            recompute the audit log up to the latest signed checkpoint (or --tree-size N) and check
            its signature with the configured keys, then the ledger against its latest sealed
            digest; exits 1 if either is broken
  keys init DIR
            write fresh production secrets into DIR (token signing key, audit checkpoint key, data
            encryption key) where missing, for WEKEZA_SIGNING_KEY_FILE, WEKEZA_AUDIT_SIGNING_KEY_FILE
            and WEKEZA_ENCRYPTION_KEYS_FILE; existing files are kept
  sandbox seed-portfolio
            seed the sandbox's demo portfolio (a few hundred customers, months of history, loans in
            every state) through the API and the test clock; WEKEZA_SANDBOX_PORTFOLIO=1 does it at serve
  staff create --role admin|banker --email E --name "Full Name" [--password-stdin]
            add a member of staff (production's first administrator): the password is read from
            stdin, or generated and printed once; they enrol TOTP at their first sign-in

Environment: PORT (3000), HOST (127.0.0.1), DATABASE_URL (file:./.data/wekeza.db or mysql://user:pass@host:3306/db),
WEKEZA_MODE (sandbox | production), WEKEZA_SIGNING_KEY[_FILE], WEKEZA_ISSUER,
SANDBOX_PASSWORD, SANDBOX_PARTNER_SECRET; REDIS_URL, NATS_URL, OTEL_EXPORTER_OTLP_ENDPOINT.
docs/operations.md lists every variable.`;

async function jobsRun(args: string[]): Promise<void> {
  const at = args.indexOf('--through');
  const through = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !isBankDate(through)) {
    console.error('--through needs a date, YYYY-MM-DD');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  await migrate(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  try {
    const services = await createServices({ config, db });
    const target = through ?? addDays(services.bankClock.today(), -1);
    const result = await services.dailyClose.closeThrough(target);
    if (result.busy) {
      console.error('another instance is running the daily close; try again when it has finished');
      process.exitCode = 1;
      return;
    }
    console.log(
      result.closed.length
        ? `closed ${result.closed.length} bank day(s): ${result.closed[0]} … ${result.closed.at(-1)}`
        : `nothing to close; closed through ${result.closedThrough ?? '(no day yet)'}`,
    );
  } finally {
    await db.close();
  }
}

async function auditVerify(args: string[]): Promise<void> {
  const at = args.indexOf('--tree-size');
  const size = at >= 0 ? Number(args[at + 1]) : undefined;
  if (size !== undefined && !Number.isSafeInteger(size)) {
    console.error('--tree-size needs a whole number');
    process.exitCode = 2;
    return;
  }
  // Only reads: no sealer, no daily close, no migrations.
  const config = { ...loadConfig(), auditSealIntervalMs: 0, jobsIntervalSeconds: 0 };
  const db = await openDatabase(config.databaseUrl);
  try {
    const services = await createServices({ config, db });
    const started = performance.now();
    const log = await services.transparency.verify(size);
    const ledger = await services.digests.check();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      JSON.stringify(
        {
          audit_log: {
            valid: log.valid,
            checked: log.checked,
            tree_size: log.treeSize,
            first_broken_id: log.firstBrokenId,
            unsealed: log.unsealed,
            reason: log.reason,
          },
          ledger: {
            valid: ledger.valid,
            digest_of: ledger.bankDate,
            accounts: ledger.accounts,
            postings: ledger.postings,
            first_broken: ledger.firstBroken
              ? { ...ledger.firstBroken, accountSeq: ledger.firstBroken.accountSeq?.toString() ?? null }
              : null,
          },
          seconds: Number(seconds),
        },
        null,
        2,
      ),
    );
    if (!log.valid || !ledger.valid) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/** `staff create`: a member of staff, written with its audit event (migrations applied first). */
async function staffCreate(args: string[]): Promise<void> {
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const role = option('--role');
  const email = option('--email');
  const name = option('--name');
  if (!role || !email || !name) {
    console.error('staff create needs --role admin|banker, --email and --name');
    process.exitCode = 2;
    return;
  }
  let password: string | undefined;
  if (args.includes('--password-stdin')) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  const config = { ...loadConfig(), auditSealIntervalMs: 0, jobsIntervalSeconds: 0 };
  await migrate(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  try {
    const created = await createStaff(db, {
      role: role as StaffRole,
      email,
      fullName: name,
      password,
    });
    console.log(`created ${role} ${email.trim().toLowerCase()} (${created.id})`);
    if (created.generated) console.log(`password (shown once): ${created.password}`);
    if (config.mode === 'production')
      console.log('they must enrol a second factor (TOTP) at their first sign-in before anything else');
  } catch (error) {
    if (!(error instanceof StaffCreateError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/** `sandbox seed-portfolio`: starts the sandbox bank on a free port, seeds the portfolio, stops. */
async function sandboxSeedPortfolio(): Promise<void> {
  const loaded = loadConfig();
  if (loaded.mode !== 'sandbox') {
    console.error('seed-portfolio is for the sandbox only');
    process.exitCode = 2;
    return;
  }
  const config = { ...loaded, port: 0, jobsIntervalSeconds: 0 };
  const running = await start({ config, port: 0 });
  try {
    const result = await seedPortfolio(
      running.url,
      running.db,
      config,
      running.services,
      config.sandboxPortfolio ?? DEFAULT_PORTFOLIO,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await running.close();
  }
}

/** `wekeza-server <command>`; loaded by cli.ts after tracing (if any) has started. */
export async function run(command: string | undefined, tracing?: Tracing): Promise<void> {
  if (command === 'jobs' && process.argv[3] === 'run') return jobsRun(process.argv.slice(4));
  if (command === 'audit' && process.argv[3] === 'verify') return auditVerify(process.argv.slice(4));
  if (command === 'staff' && process.argv[3] === 'create') return staffCreate(process.argv.slice(4));
  if (command === 'sandbox' && process.argv[3] === 'seed-portfolio') return sandboxSeedPortfolio();
  if (command === 'keys' && process.argv[3] === 'init') {
    const dir = process.argv[4];
    if (!dir) {
      console.error('keys init needs a directory');
      process.exitCode = 2;
      return;
    }
    const written = initKeys(dir);
    console.log(written.length ? `wrote ${written.join(', ')}` : `keys already present in ${dir}`);
    return;
  }
  if (command === 'migrate') {
    const config = loadConfig();
    const result = await migrate(config.databaseUrl);
    console.log(result.applied.length ? `applied: ${result.applied.join(', ')}` : 'database is up to date');
    return;
  }
  if (command !== 'serve') {
    console.error(USAGE);
    process.exitCode = command === undefined || command === '--help' ? 0 : 2;
    return;
  }
  const running = await start();
  const { config } = running;
  const lines = [
    `Wekeza reference bank (${config.mode}) listening on ${running.url}`,
    `  API reference  ${running.url}/docs`,
    `  OpenAPI        ${running.url}/v1/openapi.json`,
    `  Database       ${config.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`,
  ];
  if (config.mode === 'sandbox') {
    lines.push(`  Sandbox users (password from SANDBOX_PASSWORD, default "${SANDBOX_DEFAULT_PASSWORD}"):`);
    for (const user of SANDBOX_USERS) lines.push(`    ${user.email.padEnd(24)} ${user.role}`);
    lines.push(
      `  Partner client  ${SANDBOX_PARTNER_ID} (secret from SANDBOX_PARTNER_SECRET, default "${SANDBOX_DEFAULT_PARTNER_SECRET}")`,
    );
    if (running.staffTotp?.length) {
      lines.push('  Staff TOTP secrets (sandbox only; add them to an authenticator app):');
      for (const { email, secret } of running.staffTotp) lines.push(`    ${email.padEnd(24)} ${secret}`);
    }
  }
  console.log(lines.join('\n'));
  if (config.mode === 'sandbox' && config.sandboxPortfolio) {
    console.log('  Seeding the sandbox portfolio through the API (WEKEZA_SANDBOX_PORTFOLIO=1)…');
    const result = await seedPortfolio(
      running.url,
      running.db,
      config,
      running.services,
      config.sandboxPortfolio,
    );
    console.log(`  Portfolio: ${JSON.stringify(result)}`);
  }
  const { logger } = running.services;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: stopping at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    running
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          logger.info({}, 'stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ error: String(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

export function failed(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
