/**
 * `pnpm bench:loans` (issue 10): on MariaDB,
 *  1. credit decisions over HTTP — `POST /v1/loan-applications` from a separate process, 1 and 16
 *     concurrent clients: decisions per second and p50/p95/p99 end to end (features from the
 *     applicant's own ledger, the sandbox bureau, the champion and its shadow challenger, the
 *     policy, the stored decision and application) — and the scoring alone, in process;
 *  2. the daily close of one bank day over `BENCH_LOANS` (default 100,000) open loans of the three
 *     sandbox products, about a tenth of them in arrears (some non-performing): every job's time.
 * A script, not a test: it prints what it measured, and checks the books afterwards.
 *
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306  BENCH_LOANS=100000  pnpm bench:loans
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDefaultEngine, extractFeatures, type LedgerLine } from '@wekeza/risk';
import { addDays } from '../src/bank-calendar.ts';
import { loadConfig } from '../src/config.ts';
import type { Sql } from '../src/db/database.ts';
import { sqlTransaction } from '../src/db/transaction.ts';
import { newId } from '../src/ids.ts';
import { hashSecret } from '../src/modules/identity/passwords.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { interestAccruedThrough } from '../src/modules/loans/accrual.ts';
import { daysPastDue } from '../src/modules/loans/arrears.ts';
import { type InstalmentState, openLoan, principalOutstanding } from '../src/modules/loans/loan-state.ts';
import { buildSchedule, type LoanTerms } from '../src/modules/loans/schedule.ts';
import { SANDBOX_LOAN_PRODUCTS } from '../src/modules/sandbox/seed.ts';
import { type RunningServer, start } from '../src/server.ts';
import { createTestDatabase } from '../src/testing/index.ts';

const SERVER = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const LOANS = Number(process.env.BENCH_LOANS ?? 100_000);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 2000);
const APPLICANTS = 100;
const LOANS_PER_CUSTOMER = 5;
const ROWS = 500;

/** mulberry32: a small seeded generator, so every run seeds the same book. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertMany(tx: Sql, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const one = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += ROWS) {
    const slice = rows.slice(i, i + ROWS);
    await tx.$executeRawUnsafe(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice.map(() => one).join(', ')}`,
      ...slice.flat(),
    );
  }
}

/** Applicants with six months of salary and spending in their wallets, and a token each. */
async function seedApplicants(bank: RunningServer): Promise<{ token: string }[]> {
  const s = bank.services;
  const passwordHash = await hashSecret(randomUUID());
  const today = s.bankClock.today();
  const out: { token: string }[] = [];
  for (let i = 0; i < APPLICANTS; i++) {
    const id = newId('cus');
    await sqlTransaction(bank.db, async (tx) => {
      await insertMany(
        tx,
        'users',
        [
          'id',
          'role',
          'email',
          'phone',
          'full_name',
          'national_id',
          'kyc_tier',
          'password_hash',
          'status',
          'created_at',
        ],
        [
          [
            id,
            'customer',
            `applicant${i}@bench.test`,
            null,
            `Applicant ${i}`,
            `5${String(i).padStart(6, '0')}${(i % 6) + 1}`,
            2,
            passwordHash,
            'active',
            new Date(),
          ],
        ],
      );
      const wallet = newId('acc');
      await insertMany(
        tx,
        'accounts',
        [
          'id',
          'owner_id',
          'code',
          'type',
          'category',
          'normal_side',
          'currency',
          'status',
          'allow_negative',
          'balance_minor',
          'held_minor',
          'posting_count',
          'wallet_key',
          'created_at',
        ],
        [
          [
            wallet,
            id,
            null,
            'wallet',
            'liability',
            'credit',
            'KES',
            'open',
            false,
            0n,
            0n,
            0n,
            `${id}:KES`,
            new Date(),
          ],
        ],
      );
      const funding = s.ledger.bankAccount('sandbox_funding', 'KES');
      for (let month = 6; month >= 1; month--) {
        const salary = BigInt(2_000_000 + (i % 10) * 500_000);
        await s.ledger.post(tx, {
          kind: 'deposit',
          description: 'Salary',
          effectiveDate: addDays(today, -30 * month),
          postings: [
            { accountId: funding, side: 'debit', amountMinor: salary },
            { accountId: wallet, side: 'credit', amountMinor: salary },
          ],
        });
        await s.ledger.post(tx, {
          kind: 'transfer',
          description: 'Rent',
          effectiveDate: addDays(today, -30 * month + 3),
          postings: [
            { accountId: wallet, side: 'debit', amountMinor: salary / 3n },
            { accountId: funding, side: 'credit', amountMinor: salary / 3n },
          ],
        });
      }
    });
    out.push({ token: (await s.tokens.issue(id, 'customer')).token });
  }
  return out;
}

/** Scoring alone: the champion, its shadow challenger and the policy, on one applicant's features. */
function scoringMicroseconds(): number {
  const engine = createDefaultEngine();
  const lines: LedgerLine[] = [];
  for (let m = 0; m < 12; m++) {
    lines.push({ date: addDays('2026-01-01', m * 30), amountMinor: 4_000_000n });
    lines.push({ date: addDays('2026-01-05', m * 30), amountMinor: -2_500_000n });
  }
  const features = extractFeatures(lines, '2026-12-31');
  const input = { features, kycTier: 'tier2', tierCapMinor: 200_000_000n };
  for (let i = 0; i < 2000; i++) engine.decide(input);
  const runs = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) engine.decide(input);
  return ((performance.now() - t0) * 1000) / runs;
}

/** Runs the load generator in a process of its own (asynchronously: the server lives in this one). */
async function loadRun(bank: RunningServer, applicants: { token: string }[], clients: number, count: number) {
  const script = fileURLToPath(new URL('./loans-load.ts', import.meta.url));
  const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      BENCH_URL: bank.url,
      BENCH_APPLICANTS: JSON.stringify(applicants),
      BENCH_CLIENTS: String(clients),
      BENCH_COUNT: String(count),
    },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as {
    clients: number;
    count: number;
    seconds: number;
    perSecond: number;
    p50: number;
    p95: number;
    p99: number;
    failures: number;
    outcomes: Record<string, number>;
  };
}

/**
 * `count` open loans as the daily close finds them at the start of bank day `day`: disbursed over
 * the last months, every instalment due before `day` paid on its due date — except for about one
 * loan in ten, which never paid (in arrears, some non-performing). Their interest through the day
 * before is on the books, so the loan accounts hold exactly what the calculators say.
 */
async function seedLoans(bank: RunningServer, count: number, day: string): Promise<void> {
  const s = bank.services;
  const next = random(2026);
  const yesterday = addDays(day, -1);
  const customers = Math.ceil(count / LOANS_PER_CUSTOMER);
  const now = new Date();
  const userRows: unknown[][] = [];
  const walletRows: unknown[][] = [];
  for (let c = 0; c < customers; c++) {
    const id = `cus_BENCH${String(c).padStart(8, '0')}`;
    userRows.push([
      id,
      'customer',
      `borrower${c}@bench.test`,
      null,
      `Borrower ${c}`,
      null,
      2,
      'x',
      'active',
      now,
    ]);
    walletRows.push([
      `acc_BENCH${String(c).padStart(8, '0')}`,
      id,
      null,
      'wallet',
      'liability',
      'credit',
      'KES',
      'open',
      false,
      0n,
      0n,
      0n,
      `${id}:KES`,
      now,
    ]);
  }
  const loanRows: unknown[][] = [];
  const instalmentRows: unknown[][] = [];
  const lines: { loanId: string; component: string; amount: bigint }[] = [];
  let principalTotal = 0n;
  let interestTotal = 0n;
  for (let i = 0; i < count; i++) {
    const { id: productId, ...product } = SANDBOX_LOAN_PRODUCTS[i % SANDBOX_LOAN_PRODUCTS.length]!;
    const term =
      product.minTermMonths + Math.floor(next() * (product.maxTermMonths - product.minTermMonths + 1));
    const span =
      Number(
        (product.maxAmountMinor > 20_000_000n ? 20_000_000n : product.maxAmountMinor) -
          product.minAmountMinor,
      ) / 10_000;
    const amount = product.minAmountMinor + BigInt(Math.floor(next() * span)) * 10_000n;
    const delinquent = next() < 0.1;
    const age = delinquent ? 31 + Math.floor(next() * 150) : 1 + Math.floor(next() * (term * 30 - 2));
    const disbursed = addDays(day, -age);
    const terms: LoanTerms = {
      currency: 'KES',
      principal: amount,
      termMonths: term,
      annualRate: product.annualRate,
      interestMethod: product.interestMethod,
      amortization: product.interestMethod === 'flat' ? undefined : product.amortization,
      processingFeeRate: product.processingFeeRate,
      disbursementDate: disbursed,
    };
    const schedule = buildSchedule(terms);
    const state = openLoan(terms, schedule);
    const instalments: InstalmentState[] = state.instalments.map((inst) =>
      !delinquent && inst.dueDate < day
        ? {
            ...inst,
            paid: { principal: inst.principal, interest: inst.interest, fees: inst.fees, penalties: 0n },
          }
        : inst,
    );
    const settled = { terms, instalments };
    const outstanding = principalOutstanding(settled);
    if (outstanding === 0n) {
      i--; // paid off already: not an open loan, draw again
      continue;
    }
    const paidInterest = instalments.reduce((t, inst) => t + inst.paid.interest, 0n);
    const interest = interestAccruedThrough(settled, yesterday) - paidInterest;
    const dpd = daysPastDue(settled, yesterday);
    const id = `loan_BENCH${String(i).padStart(9, '0')}`;
    const customer = Math.floor(i / LOANS_PER_CUSTOMER);
    loanRows.push([
      id,
      String(10_000_000_000 + i),
      `cus_BENCH${String(customer).padStart(8, '0')}`,
      productId,
      null,
      `acc_BENCH${String(customer).padStart(8, '0')}`,
      'KES',
      amount,
      term,
      product.interestMethod,
      product.interestMethod === 'flat' ? null : product.amortization,
      product.annualRate,
      product.processingFeeRate,
      schedule.processingFee,
      product.penaltyRate,
      product.graceDays,
      product.writeOffDays,
      disbursed,
      'wallet',
      dpd > 0 ? 'in_arrears' : 'active',
      400 + Math.floor(next() * 400),
      outstanding,
      dpd,
      dpd,
      yesterday,
      yesterday,
      '0',
      dpd > 90 ? outstanding : null,
      dpd > 90 ? 0n : null,
      0n,
      0n,
      null,
      now,
    ]);
    instalments.forEach((inst, index) => {
      const done = inst.paid.principal === inst.principal;
      instalmentRows.push([
        id,
        inst.n,
        index === 0 ? disbursed : instalments[index - 1]!.dueDate,
        inst.dueDate,
        inst.principal,
        inst.interest,
        inst.fees,
        0n,
        0n,
        inst.paid.principal,
        inst.paid.interest,
        inst.paid.fees,
        0n,
        done,
        done ? inst.dueDate : null,
        null,
        null,
      ]);
    });
    lines.push({ loanId: id, component: 'principal', amount: outstanding });
    if (interest !== 0n) lines.push({ loanId: id, component: 'interest', amount: interest });
    principalTotal += outstanding;
    interestTotal += interest;
  }
  await sqlTransaction(bank.db, async (tx) => {
    await insertMany(
      tx,
      'users',
      [
        'id',
        'role',
        'email',
        'phone',
        'full_name',
        'national_id',
        'kyc_tier',
        'password_hash',
        'status',
        'created_at',
      ],
      userRows,
    );
    await insertMany(
      tx,
      'accounts',
      [
        'id',
        'owner_id',
        'code',
        'type',
        'category',
        'normal_side',
        'currency',
        'status',
        'allow_negative',
        'balance_minor',
        'held_minor',
        'posting_count',
        'wallet_key',
        'created_at',
      ],
      walletRows,
    );
  });
  const loanColumns = [
    'id',
    'loan_number',
    'customer_id',
    'product_id',
    'application_id',
    'wallet_account_id',
    'currency',
    'principal_minor',
    'term_months',
    'interest_method',
    'amortization',
    'annual_rate',
    'processing_fee_rate',
    'processing_fee_minor',
    'penalty_rate',
    'grace_days',
    'write_off_days',
    'disbursement_date',
    'channel',
    'status',
    'score',
    'principal_outstanding_minor',
    'days_past_due',
    'worst_days_past_due',
    'interest_accrued_through',
    'arrears_through',
    'penalty_carry',
    'in_duplum_cap_minor',
    'in_duplum_charged_minor',
    'written_off_minor',
    'recovered_minor',
    'closed_on',
    'created_at',
  ];
  const instalmentColumns = [
    'loan_id',
    'n',
    'period_start',
    'due_date',
    'principal_minor',
    'interest_minor',
    'fees_minor',
    'penalties_minor',
    'interest_waived_minor',
    'paid_principal_minor',
    'paid_interest_minor',
    'paid_fees_minor',
    'paid_penalties_minor',
    'settled',
    'settled_on',
    'closed_early_due_date',
    'closed_early_interest_minor',
  ];
  for (let i = 0; i < loanRows.length; i += 10_000) {
    await sqlTransaction(bank.db, (tx) =>
      insertMany(tx, 'loans', loanColumns, loanRows.slice(i, i + 10_000)),
    );
  }
  for (let i = 0; i < instalmentRows.length; i += 20_000) {
    await sqlTransaction(bank.db, (tx) =>
      insertMany(tx, 'loan_instalments', instalmentColumns, instalmentRows.slice(i, i + 20_000)),
    );
  }
  // One entry puts the seeded book on the control accounts; each loan's share is its sub-ledger lines.
  await sqlTransaction(bank.db, async (tx) => {
    const entry = await s.ledger.post(tx, {
      kind: 'bench_seed',
      description: 'Benchmark loan book',
      effectiveDate: yesterday,
      postings: [
        {
          accountId: s.ledger.bankAccount('loan_principal_receivable', 'KES'),
          side: 'debit',
          amountMinor: principalTotal,
        },
        {
          accountId: s.ledger.bankAccount('loan_interest_receivable', 'KES'),
          side: 'debit',
          amountMinor: interestTotal,
        },
        {
          accountId: s.ledger.bankAccount('sandbox_funding', 'KES'),
          side: 'credit',
          amountMinor: principalTotal + interestTotal,
        },
      ],
    });
    await insertMany(
      tx,
      'loan_postings',
      ['id', 'loan_id', 'entry_id', 'effective_date', 'kind', 'component', 'amount_minor'],
      lines.map((l) => [newId('lpst'), l.loanId, entry.id, yesterday, 'seed', l.component, l.amount]),
    );
  });
}

async function main() {
  process.env.TEST_MYSQL_URL = SERVER;
  const database = await createTestDatabase('mysql');
  const config = loadConfig({
    WEKEZA_MODE: 'sandbox',
    DATABASE_URL: database.url,
    WEKEZA_JOBS_INTERVAL_SECONDS: '0',
  });
  const bank = await start({ port: 0, config });
  try {
    console.log(`pnpm bench:loans — MariaDB, ${cpus().length} CPU(s), Node ${process.version}`);
    const scoring = scoringMicroseconds();
    console.log(`scoring alone (champion + shadow challenger + policy): ${scoring.toFixed(1)} µs a decision`);

    const applicants = await seedApplicants(bank);
    await loadRun(bank, applicants, 8, 300); // warm-up
    for (const clients of [1, 16]) {
      const r = await loadRun(bank, applicants, clients, DECISIONS);
      console.log(
        `decisions over HTTP, ${clients} client(s): ${r.perSecond.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, failures ${r.failures}, outcomes ${JSON.stringify(r.outcomes)}`,
      );
    }

    const day = bank.services.bankClock.today();
    let t0 = performance.now();
    await seedLoans(bank, LOANS, day);
    console.log(`seeded ${LOANS} open loans in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const [{ arrears }] = (await bank.db.sql.$queryRawUnsafe(
      "SELECT COUNT(*) AS arrears FROM loans WHERE status = 'in_arrears'",
    )) as [{ arrears: unknown }];
    await bank.services.bankClock.advance(1);
    t0 = performance.now();
    const result = await bank.services.dailyClose.closeThrough(day);
    const total = (performance.now() - t0) / 1000;
    if (result.closed[0] !== day) throw new Error(`the close did not run: ${JSON.stringify(result)}`);
    const runs = (await bank.db.sql.$queryRawUnsafe(
      'SELECT job, started_at, finished_at FROM job_runs WHERE bank_date = ? ORDER BY started_at',
      day,
    )) as { job: string; started_at: Date; finished_at: Date }[];
    console.log(
      `daily close of ${day} over ${LOANS} open loans (${Number(arrears)} in arrears): ${total.toFixed(1)} s`,
    );
    for (const run of runs)
      console.log(
        `  ${run.job.padEnd(28)} ${((run.finished_at.getTime() - run.started_at.getTime()) / 1000).toFixed(1)} s`,
      );
    const [{ n: lines }] = (await bank.db.sql.$queryRawUnsafe(
      "SELECT COUNT(*) AS n FROM loan_postings WHERE effective_date = ? AND kind IN ('accrual', 'penalty')",
      day,
    )) as [{ n: unknown }];
    const [{ entries }] = (await bank.db.sql.$queryRawUnsafe(
      "SELECT COUNT(*) AS entries FROM journal_entries WHERE effective_date = ? AND kind = 'loan_accrual'",
      day,
    )) as [{ entries: unknown }];
    console.log(`  posted ${Number(entries)} journal entries carrying ${Number(lines)} sub-ledger lines`);
    // Each job run again for the same day (as after a crash half-way): every loan is done, nothing posts.
    t0 = performance.now();
    const jobs = bank.services.loanJobs;
    for (const job of [jobs.accrual, jobs.arrears, jobs.writeOff])
      await job.run({ db: bank.db, bankDate: day, heartbeat: async () => {} });
    const [{ n: after }] = (await bank.db.sql.$queryRawUnsafe(
      "SELECT COUNT(*) AS n FROM loan_postings WHERE effective_date = ? AND kind IN ('accrual', 'penalty')",
      day,
    )) as [{ n: unknown }];
    console.log(
      `  the loan jobs run again for ${day}: ${((performance.now() - t0) / 1000).toFixed(1)} s, sub-ledger lines ${Number(lines)} → ${Number(after)}`,
    );
    const books = await reconcile(bank.db.prisma);
    console.log(`books reconcile: ${books.ok}`);
    if (!books.ok) process.exitCode = 1;
  } finally {
    await bank.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
