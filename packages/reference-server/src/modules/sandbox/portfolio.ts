/**
 * A seeded sandbox portfolio (issue 13): a few hundred customers with months of history and loans
 * in every state — active, in arrears, closed, written off, referred, waiting for a second banker —
 * so the staff screens mean something the first time someone opens them. Deterministic: one seed
 * fixes every customer, amount and behaviour (ids and timestamps differ run to run).
 *
 * Generated through the bank's own HTTP API and its sandbox test clock, as a partner's script
 * would: salaries arrive as sandbox deposits, customers pay each other, apply for loans, accept
 * offers and repay (or do not); bankers override referred applications; an administrator writes
 * off what will not be paid; the clock moves a day at a time and the daily close does the rest
 * (accrual, arrears, penalties, snapshots). Only the sign-ups go through the identity service
 * directly (one password hash for all, and no sign-up rate limit), and the tokens are minted by
 * the bank's token service instead of a few hundred password sign-ins.
 *
 * Opt-in: `WEKEZA_SANDBOX_PORTFOLIO=1` when the sandbox starts, or `wekeza-server sandbox
 * seed-portfolio`. Seeding again finds its first customer and does nothing.
 */
import { randomUUID } from 'node:crypto';
import { createRandom, type Random } from '@wekeza/risk';
import { formatAmount, parseAmount } from '@wekeza/sdk';
import type { Services } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import { hashSecret } from '../identity/passwords.ts';
import type { PrincipalRole } from '../identity/tokens.ts';

export interface PortfolioOptions {
  customers: number;
  months: number;
  seed: number;
}

export const DEFAULT_PORTFOLIO: PortfolioOptions = { customers: 300, months: 6, seed: 2026 };

export interface PortfolioSummary {
  skipped: boolean;
  customers: number;
  applications: number;
  loansByStatus: Record<string, number>;
  pendingApprovals: number;
  bankDate: string;
}

type Segment = 'good' | 'late' | 'default';

interface Borrower {
  id: string;
  walletId: string;
  segment: Segment;
  salaryMinor: bigint;
  token: string;
}

interface OpenLoan {
  id: string;
  owner: Borrower;
  dues: { dueDate: string; totalMinor: bigint; paid: boolean }[];
}

const FIRST = [
  'Amina',
  'Baraka',
  'Chebet',
  'Dalmas',
  'Esther',
  'Faith',
  'Gitau',
  'Halima',
  'Imani',
  'Jabali',
  'Kamau',
  'Lilian',
  'Mwangi',
  'Njeri',
  'Otieno',
  'Pendo',
  'Qabale',
  'Rehema',
  'Sifuna',
  'Tumaini',
  'Wanjiru',
  'Zawadi',
];
const LAST = [
  'Achieng',
  'Barasa',
  'Chege',
  'Gathoni',
  'Kariuki',
  'Kiprono',
  'Maina',
  'Mutua',
  'Njoroge',
  'Ochieng',
  'Odhiambo',
  'Omondi',
  'Onyango',
  'Owino',
  'Wafula',
  'Wambui',
  'Wekesa',
];

const MARKER = (i: number) => `portfolio-${i}@sandbox.test`;

/** Seeds the portfolio through the running bank at `url` (sandbox mode). */
export async function seedPortfolio(
  url: string,
  db: Database,
  config: Config,
  services: Services,
  options: PortfolioOptions = DEFAULT_PORTFOLIO,
): Promise<PortfolioSummary> {
  if (await db.prisma.user.findUnique({ where: { email: MARKER(0) }, select: { id: true } }))
    return summary(db, services, 0, true);
  const rng = createRandom(options.seed);
  const admin = await staffToken(db, services, 'admin@sandbox.test');
  const bankers = [
    await staffToken(db, services, 'banker@sandbox.test'),
    await staffToken(db, services, 'banker2@sandbox.test'),
  ];
  const call = api(url);
  const kes = (minor: bigint) => ({ amount: formatAmount(minor, 'KES'), currency: 'KES' });

  // ---- Customers ----
  const passwordHash = await hashSecret(config.sandboxPassword);
  const borrowers: Borrower[] = [];
  for (let i = 0; i < options.customers; i++) {
    const segment: Segment = pick(rng, [
      ['good', 0.65],
      ['late', 0.2],
      ['default', 0.15],
    ]);
    // The sandbox bureau answers by the last digit: 9 a negative listing, 7 a thin file, else clean.
    const last = rng.next() < 0.05 ? '9' : rng.next() < 0.06 ? '7' : String(rng.int(0, 6));
    const withId = rng.next() < 0.92;
    const { user, walletId } = await transaction(db, (tx) =>
      services.identity.signup(
        tx,
        {
          phone: `+25479${String(i).padStart(7, '0')}`,
          email: MARKER(i),
          password: config.sandboxPassword,
          fullName: `${FIRST[rng.int(0, FIRST.length - 1)]} ${LAST[rng.int(0, LAST.length - 1)]}`,
          ...(withId ? { nationalId: `3${String(i).padStart(6, '0')}${last}` } : {}),
        },
        passwordHash,
      ),
    );
    const salaryMinor = BigInt(Math.round(rng.int(12_000, 90_000) / 100) * 100) * 100n;
    borrowers.push({ id: user.id, walletId, segment, salaryMinor, token: '' });
  }
  const refresh = async () => {
    for (const b of borrowers) b.token = (await services.tokens.issue(b.id, 'customer')).token;
    admin.token = (await services.tokens.issue(admin.id, 'admin')).token;
    for (const b of bankers) b.token = (await services.tokens.issue(b.id, 'banker')).token;
  };

  // ---- Months of history, a day at a time ----
  const open = new Map<string, OpenLoan>();
  const hasLoan = new Set<string>();
  let applications = 0;
  const totalDays = options.months * 30;
  for (let day = 0; day < totalDays; day++) {
    if (day % 10 === 0) await refresh();
    const today = services.bankClock.today();
    const dayOfMonth = day % 30;
    if (dayOfMonth === 0) {
      // Salary day: every wallet is paid, a little more or less than usual.
      for (const b of borrowers) {
        const pay = (b.salaryMinor * BigInt(rng.int(90, 110))) / 100n;
        await call(admin.token, 'POST', '/v1/sandbox/deposits', { account_id: b.walletId, amount: kes(pay) });
      }
    }
    if (dayOfMonth === 12) {
      // Spending: a share of the salary goes to another customer (the good spend least).
      for (const b of borrowers) {
        const other = borrowers[rng.int(0, borrowers.length - 1)]!;
        if (other === b) continue;
        const share = b.segment === 'good' ? rng.int(20, 45) : rng.int(45, 80);
        await call(b.token, 'POST', '/v1/transfers', {
          from_account_id: b.walletId,
          to_account_id: other.walletId,
          amount: kes((b.salaryMinor * BigInt(share)) / 100n),
          reference: 'Rent and groceries',
        });
      }
    }
    if (day >= 35 && dayOfMonth === 5) {
      // Loans: a quarter of those without one apply each month.
      for (const b of borrowers) {
        if (hasLoan.has(b.id) || rng.next() > 0.25) continue;
        const flat = rng.next() < 0.3;
        // KES 500–50,000 digital, KES 5,000–300,000 flat (the products' ranges), in hundreds.
        const amountMinor = clamp(
          ((b.salaryMinor * BigInt(rng.int(30, flat ? 150 : 90))) / 100n / 10_000n) * 10_000n,
          flat ? 500_000n : 50_000n,
          flat ? 30_000_000n : 5_000_000n,
        );
        const app = await call<{ id: string; status: string }>(b.token, 'POST', '/v1/loan-applications', {
          product_id: flat ? 'lprod_sandbox_flat' : 'lprod_sandbox_digital',
          amount: kes(amountMinor),
          term_months: flat ? rng.int(3, 6) : rng.int(1, 3),
          purpose: flat ? 'Stock for the shop' : 'School fees',
        });
        if (app.status !== 201) continue;
        applications += 1;
        hasLoan.add(b.id);
        let status = app.body.status;
        if (status === 'referred' && rng.next() < 0.6) {
          // A banker reads the file and approves; above the threshold it waits for a second banker.
          const banker = bankers[rng.int(0, 1)]!;
          const overridden = await call<{ status?: string }>(
            banker.token,
            'POST',
            `/v1/loan-applications/${app.body.id}/override`,
            { decision: 'approve', reason: 'Steady salary history with us; bureau file reviewed' },
          );
          if (overridden.status === 200) status = 'approved';
        }
        if (status !== 'approved') continue;
        const loan = await call<{ id: string; schedule: { due_date: string; total: { amount: string } }[] }>(
          b.token,
          'POST',
          `/v1/loan-applications/${app.body.id}/accept`,
          {},
        );
        if (loan.status !== 201) continue;
        open.set(loan.body.id, {
          id: loan.body.id,
          owner: b,
          dues: loan.body.schedule.map((s) => ({
            dueDate: s.due_date,
            totalMinor: parseAmount(s.total.amount, 'KES'),
            paid: false,
          })),
        });
      }
    }
    // Repayments: the good pay on the due date, the late three weeks after; defaulters stop paying.
    for (const loan of open.values()) {
      const { owner } = loan;
      if (owner.segment === 'default') continue;
      const lag = owner.segment === 'late' ? 21 : 0;
      const due = loan.dues.filter((d) => !d.paid && addDaysTo(d.dueDate, lag) <= today);
      if (due.length === 0) continue;
      const state = await call<{
        status: string;
        schedule: { due: { amount: string } }[];
        outstanding: { total: { amount: string } };
      }>(owner.token, 'GET', `/v1/loans/${loan.id}`);
      if (state.status !== 200 || !['active', 'in_arrears'].includes(state.body.status)) {
        open.delete(loan.id);
        continue;
      }
      const owed = state.body.schedule
        .slice(0, loan.dues.indexOf(due.at(-1)!) + 1)
        .reduce((sum, s) => sum + parseAmount(s.due.amount, 'KES'), 0n);
      if (owed <= 0n) {
        for (const d of due) d.paid = true;
        continue;
      }
      const paid = await call<{ loan: { status: string } }>(
        owner.token,
        'POST',
        `/v1/loans/${loan.id}/repayments`,
        {
          amount: kes(owed),
          from_account_id: owner.walletId,
        },
      );
      if (paid.status === 201) {
        for (const d of due) d.paid = true;
        if (paid.body.loan.status === 'closed') open.delete(loan.id);
      }
    }
    // An administrator writes off what has been unpaid for two months.
    if (dayOfMonth === 25) {
      const stale = await db.prisma.loan.findMany({
        where: { status: 'in_arrears', daysPastDue: { gt: 60 } },
        select: { id: true },
      });
      for (const { id } of stale) {
        await call(admin.token, 'POST', `/v1/loans/${id}/write-off`, {
          reason: 'Two months unpaid; collections exhausted',
        });
        open.delete(id);
      }
    }
    await call(admin.token, 'POST', '/v1/sandbox/clock/advance', { days: 1 });
  }
  return summary(db, services, applications, false);
}

async function staffToken(db: Database, services: Services, email: string) {
  const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
  const role = user.role as PrincipalRole;
  return { id: user.id, role, token: (await services.tokens.issue(user.id, role)).token };
}

async function summary(
  db: Database,
  services: Services,
  applications: number,
  skipped: boolean,
): Promise<PortfolioSummary> {
  const rows = await db.prisma.loan.groupBy({ by: ['status'], _count: { _all: true } });
  return {
    skipped,
    customers: await db.prisma.user.count({ where: { email: { startsWith: 'portfolio-' } } }),
    applications,
    loansByStatus: Object.fromEntries(rows.map((r) => [r.status, r._count._all])),
    pendingApprovals: await db.prisma.approval.count({ where: { status: 'pending' } }),
    bankDate: services.bankClock.today(),
  };
}

/** A JSON call to the bank; answers the status and body (refusals are part of the story). */
function api(base: string) {
  return async <T = Record<string, unknown>>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  };
}

function pick<T>(rng: Random, choices: [T, number][]): T {
  let x = rng.next();
  for (const [value, weight] of choices) {
    if (x < weight) return value;
    x -= weight;
  }
  return choices.at(-1)![0];
}

function clamp(minor: bigint, min: bigint, max: bigint): bigint {
  return minor < min ? min : minor > max ? max : minor;
}

function addDaysTo(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
