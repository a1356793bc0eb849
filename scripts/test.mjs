// `pnpm test`: every test of every package, on SQLite and, when it answers, on MySQL/MariaDB.
// TEST_MYSQL_URL names the MySQL server (each test file creates and drops its own database there).
// Without it we try mysql://root@127.0.0.1:3306; under CI=true an unreachable MySQL fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../packages/reference-server/package.json', import.meta.url));
const mysql = require('mysql2/promise');
const ci = process.env.CI === 'true';
const candidate = process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';

async function reachable(url) {
  try {
    const u = new URL(url);
    const connection = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      connectTimeout: 3000,
    });
    await connection.query('SELECT 1');
    await connection.end();
    return true;
  } catch (error) {
    return error;
  }
}

const result = await reachable(candidate);
const env = { ...process.env };
if (result === true) {
  env.TEST_MYSQL_URL = candidate;
  console.log(`MySQL suite: ON (${candidate.replace(/:[^:@/]*@/, ':***@')})`);
} else if (ci || process.env.TEST_MYSQL_URL) {
  console.error(
    `MySQL suite is mandatory here but ${candidate} does not answer: ${result?.message ?? result}`,
  );
  process.exit(1);
} else {
  delete env.TEST_MYSQL_URL;
  console.log('*'.repeat(78));
  console.log(`MySQL suite: SKIPPED — no MySQL/MariaDB answers at ${candidate}.`);
  console.log('Only the SQLite suite runs. Set TEST_MYSQL_URL=mysql://user:pass@host:3306 to run both.');
  console.log('*'.repeat(78));
}

// A JSON report beside the usual output gives the one-line total at the end.
const dir = mkdtempSync(join(tmpdir(), 'wekeza-vitest-'));
const report = join(dir, 'report.json');
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit', env });
try {
  const totals = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = totals.numPendingTests + totals.numTodoTests;
  console.log(
    `\nTests: ${totals.numPassedTests} passed, ${totals.numFailedTests} failed, ${skipped} skipped`,
  );
  if (result !== true) console.log('(MySQL suite skipped: SQLite only)');
} catch {
  console.log('\nTests: no report was written');
}
rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
