/**
 * `pnpm bench:statements`: renders a 100,000-line statement (a year of a busy account) in each format
 * and prints the time, the output size and the peak resident memory of the process that rendered it.
 * Each run is a child process of its own, so one run's garbage or peak cannot hide in another's figure.
 *
 * Two sources of lines:
 * - `synthetic`: lines generated one at a time (test/support/statement-lines.ts), so the peak shows
 *   the renderer's own memory, not the data's;
 * - `sqlite`, `mysql`: the real path — a wallet with 100,000 postings in a real database
 *   (bench/statement-account.ts), read by the statement service page by page (header aggregate,
 *   then keyset pages by effective date and posting number), as `GET /v1/accounts/{id}/statement`
 *   serves it. A `lines only` run reads every page without rendering, to show what the reading costs.
 *
 *   BENCH_STATEMENT_LINES=100000 pnpm bench:statements
 *   BENCH_STATEMENT_SOURCES=synthetic,sqlite,mysql   (default: synthetic,sqlite, and mysql when
 *     BENCH_MYSQL_URL or TEST_MYSQL_URL names a server, e.g. mysql://root@127.0.0.1:3306)
 *   BENCH_PDF_FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
 *   BENCH_PDF_FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf  (also time the PDF with embedded TrueType fonts)
 *
 * Output goes to a counting sink (bytes are discarded), so disk speed does not enter the figures.
 */
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BankClock } from '../src/bank-clock.ts';
import { systemClock } from '../src/clock.ts';
import { type Dialect, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { AccountsService } from '../src/modules/accounts/service.ts';
import { AuditLog } from '../src/modules/audit/log.ts';
import { Ledger } from '../src/modules/ledger/ledger.ts';
import {
  renderStatement,
  STATEMENT_FORMATS,
  type StatementFormat,
} from '../src/modules/statements/render.ts';
import { StatementService } from '../src/modules/statements/service.ts';
import type { StatementHeader, StatementLine } from '../src/modules/statements/statement.ts';
import { createTestDatabase } from '../src/testing/index.ts';
import { syntheticStatement } from '../test/support/statement-lines.ts';
import {
  BENCH_ACCOUNT_ID,
  BENCH_CUSTOMER_ID,
  BENCH_FROM,
  BENCH_TO,
  seedBusyAccount,
} from './statement-account.ts';

const LINES = Number(process.env.BENCH_STATEMENT_LINES ?? 100_000);
const FONT = process.env.BENCH_PDF_FONT;
const FONT_BOLD = process.env.BENCH_PDF_FONT_BOLD ?? FONT;
const MYSQL = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL;
const SOURCES = (process.env.BENCH_STATEMENT_SOURCES ?? `synthetic,sqlite${MYSQL ? ',mysql' : ''}`).split(
  ',',
);

interface Result {
  format: string;
  lines: number;
  seconds: number;
  megabytes: number;
  peakRssMb: number;
  baselineRssMb: number;
}

/** The statement to render: synthetic lines, or the busy account read from the database at `url`. */
async function source(
  url: string | undefined,
  format: StatementFormat,
): Promise<{ header: StatementHeader; lines: AsyncIterable<StatementLine>; close(): Promise<void> }> {
  if (!url) {
    const { header, lines } = syntheticStatement(LINES);
    return { header, lines: lines(), close: async () => {} };
  }
  const db = await openDatabase(url);
  const bankClock = new BankClock(db, systemClock, 'Africa/Nairobi', 0);
  await bankClock.load();
  const statements = new StatementService(
    db,
    new AccountsService(db.prisma, systemClock),
    new AuditLog(systemClock),
    bankClock,
    systemClock,
    { name: 'Wekeza Sandbox Bank', code: 'SANDBOX' },
  );
  const { header, lines } = await statements.open(
    { id: BENCH_CUSTOMER_ID, role: 'customer' },
    BENCH_ACCOUNT_ID,
    {
      from: BENCH_FROM,
      to: BENCH_TO,
      format,
    },
  );
  return { header, lines, close: () => db.close() };
}

/** Runs one format in this process and prints its result as JSON (the child's side). */
async function runOne(
  format: StatementFormat | 'lines',
  withFont: boolean,
  url: string | undefined,
): Promise<void> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      // Acknowledge on a later turn of the event loop, as a socket does.
      setImmediate(callback);
    },
  });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = process.hrtime.bigint();
  const font = withFont && FONT && FONT_BOLD ? { regular: FONT, bold: FONT_BOLD } : undefined;
  // The database's part is in the figure: the header's aggregate and every page of lines.
  const { header, lines, close } = await source(url, format === 'lines' ? 'json' : format);
  let count = 0;
  if (format === 'lines') {
    for await (const _line of lines) count += 1;
  } else {
    await renderStatement(format, header, lines, sink, { pdf: { fonts: font } });
    count = header.lineCount ?? LINES;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await close();
  clearInterval(sampler);
  // resourceUsage().maxRSS is the kernel's own high-water mark (KiB), which the sampler could miss.
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const result: Result = {
    format: withFont ? `${format} (TrueType font)` : format === 'lines' ? 'lines only' : format,
    lines: count,
    seconds,
    megabytes: bytes / 1e6,
    peakRssMb: peak / 1e6,
    baselineRssMb: baseline / 1e6,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs every format as a child process against one source, and prints the table. */
function runAll(label: string, url: string | undefined): void {
  const self = fileURLToPath(import.meta.url);
  const runs: [StatementFormat | 'lines', boolean][] = STATEMENT_FORMATS.map((format) => [format, false]);
  if (FONT) runs.push(['pdf', true]);
  if (url) runs.unshift(['lines', false]);
  const results: Result[] = [];
  for (const [format, withFont] of runs) {
    const output = execFileSync(
      process.execPath,
      [...process.execArgv, self, '--one', format, withFont ? '--font' : '--no-font'],
      {
        env: { ...process.env, BENCH_SOURCE_URL: url ?? '' },
        encoding: 'utf8',
        maxBuffer: 1024 * 1024,
      },
    );
    results.push(JSON.parse(output.trim().split('\n').pop() as string) as Result);
  }
  console.log(
    `\n${label}: statements of ${LINES.toLocaleString('en')} lines, one child process per run (Node ${process.version})\n`,
  );
  console.log('format                  seconds   lines/s     output MB   peak RSS MB   (RSS before)');
  for (const r of results) {
    console.log(
      `${r.format.padEnd(22)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.lines / r.seconds)
        .toLocaleString('en')
        .padStart(
          9,
        )} ${r.megabytes.toFixed(1).padStart(13)} ${r.peakRssMb.toFixed(0).padStart(13)}   (${r.baselineRssMb.toFixed(0)})`,
    );
  }
}

async function main(): Promise<void> {
  for (const name of SOURCES) {
    if (name === 'synthetic') {
      runAll('Synthetic lines', undefined);
      continue;
    }
    const dialect = name as Dialect;
    if (dialect === 'mysql') process.env.TEST_MYSQL_URL = MYSQL ?? 'mysql://root@127.0.0.1:3306';
    const database = await createTestDatabase(dialect);
    try {
      const started = Date.now();
      // Written by a child too: Linux carries a parent's peak RSS into the children it starts, and
      // 100,000 postings built in this process would show in every run's figure.
      execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--seed'], {
        env: { ...process.env, BENCH_SOURCE_URL: database.url },
        stdio: 'inherit',
      });
      console.log(
        `\n(${dialect}: ${LINES.toLocaleString('en')} postings written in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      runAll(
        dialect === 'mysql'
          ? 'MariaDB, through the statement service'
          : 'SQLite, through the statement service',
        database.url,
      );
    } finally {
      await database.drop();
    }
  }
}

/** Writes the busy account into the database at BENCH_SOURCE_URL (the `--seed` child). */
async function seed(url: string): Promise<void> {
  await migrate(url);
  const db = await openDatabase(url);
  try {
    await new Ledger(
      db.dialect,
      systemClock,
      new BankClock(db, systemClock, 'Africa/Nairobi', 0),
    ).openBankAccounts(db.prisma);
    await seedBusyAccount(db, LINES);
  } finally {
    await db.close();
  }
}

const one = process.argv.indexOf('--one');
if (process.argv.includes('--seed')) {
  await seed(process.env.BENCH_SOURCE_URL as string);
} else if (one >= 0) {
  await runOne(
    process.argv[one + 1] as StatementFormat | 'lines',
    process.argv.includes('--font'),
    process.env.BENCH_SOURCE_URL || undefined,
  );
} else {
  await main();
}
