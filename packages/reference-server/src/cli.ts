#!/usr/bin/env node
import {
  ConfigError,
  loadConfig,
  SANDBOX_DEFAULT_PARTNER_SECRET,
  SANDBOX_DEFAULT_PASSWORD,
} from './config.ts';
import { migrate } from './db/migrate.ts';
import { SANDBOX_PARTNER_ID, SANDBOX_USERS } from './modules/sandbox/seed.ts';
import { start } from './server.ts';

const USAGE = `usage: wekeza-server <serve|migrate>

  serve     apply migrations, seed the sandbox (in sandbox mode) and listen on PORT
  migrate   apply pending migrations to DATABASE_URL and exit

Environment: PORT (3000), DATABASE_URL (file:./.data/wekeza.db or mysql://user:pass@host:3306/db),
WEKEZA_MODE (sandbox | production), WEKEZA_SIGNING_KEY[_FILE], WEKEZA_ISSUER,
SANDBOX_PASSWORD, SANDBOX_PARTNER_SECRET.`;

async function main(command: string | undefined): Promise<void> {
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
  }
  console.log(lines.join('\n'));
  const shutdown = () => {
    running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
