/**
 * The property of DOMAIN.md "Save", through the real bank: over a year of random deposits and
 * withdrawals on random days — with the daily close left behind on random days and caught up later,
 * so postings are written out of their date order — every month-end posting is the exact sum of that
 * month's daily accruals (end-of-day balance × rate / 365, from the ledger, by effective date) plus
 * the carry, rounded half-even once; the year's postings plus the final carry are the exact sum of
 * the daily accruals (no cent drifts); and every statement reconciles: opening + lines = closing =
 * the ledger's balance at the date.
 *
 * The oracle is independent of the server's code: bigint fractions over the postings the ledger holds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isLastDayOfMonth } from '../src/bank-calendar.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

const DAYS = 365;
const RATE = { numerator: 8n, denominator: 100n }; // the sandbox savings product: 8 % a year
const TAX = { numerator: 15n, denominator: 100n };

/** round_half_even(numerator / denominator), denominator > 0. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twice = (magnitude - quotient * denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

const kes = (cents: number) => ({ amount: (cents / 100).toFixed(2), currency: 'KES' });
const cents = (money: { amount: string }) => BigInt(money.amount.replace('.', ''));

const operation = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  into: fc.boolean(),
  cents: fc.integer({ min: 1, max: 2_000_000 }),
});
const scenario = fc.record({
  accounts: fc.array(
    fc.record({
      openingCents: fc.integer({ min: 0, max: 5_000_000 }),
      operations: fc.array(operation, { maxLength: 20 }),
    }),
    { minLength: 2, maxLength: 3 },
  ),
  /** Days whose close is left behind, to be caught up by a later one. */
  lagging: fc.uniqueArray(fc.integer({ min: 0, max: DAYS - 1 }), { maxLength: 40 }),
  /** Statement periods to check, as offsets into the year. */
  periods: fc.array(fc.tuple(fc.nat({ max: DAYS - 1 }), fc.nat({ max: DAYS - 1 })), {
    minLength: 3,
    maxLength: 6,
  }),
});

interface Posting {
  effectiveDate: string;
  kind: string;
  signed: bigint;
}

describe.each(testDialects())('savings interest over a year of random days on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;

  beforeAll(async () => {
    const clock = new TestClock();
    clock.offsetMs = Date.parse('2025-01-01T07:00:00Z') - Date.now();
    bank = await startTestBank(dialect, {}, { clock });
    admin = await login(bank, 'admin@sandbox.test');
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  /** The account's postings, signed from the holder's view, from the ledger. */
  async function postingsOf(accountId: string): Promise<Posting[]> {
    const rows = await bank.db.prisma.posting.findMany({
      where: { accountId },
      include: { entry: { select: { effectiveDate: true, kind: true } } },
    });
    return rows.map((row) => ({
      effectiveDate: row.entry.effectiveDate,
      kind: row.entry.kind,
      signed: row.side === 'credit' ? row.amountMinor : -row.amountMinor,
    }));
  }

  it('when a year of random movements passes, then every posting is the rounded exact sum of its month, nothing drifts, and every statement reconciles', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ accounts, lagging, periods }) => {
        const start = bank.services.bankClock.today();
        const opened: { id: string; customer: Awaited<ReturnType<typeof newCustomer>> }[] = [];
        for (const account of accounts) {
          const customer = await newCustomer(bank, { nationalId: 'PROPERTY' });
          await fund(admin, customer.walletId, '400000.00');
          const res = await customer.http.post<{ id: string }>('/v1/accounts', {
            type: 'savings',
            currency: 'KES',
            ...(account.openingCents > 0 ? { amount: kes(account.openingCents) } : {}),
          });
          expect(res.status).toBe(201);
          opened.push({ id: res.body.id, customer });
        }

        // Walk the year: each day's movements, then the day's close — or not, on a lagging day.
        const lag = new Set(lagging);
        let day = 0;
        const moveTo = async (target: number) => {
          while (day < target) {
            if (lag.has(day)) {
              await bank.services.bankClock.advance(1);
              day += 1;
              continue;
            }
            let run = 1;
            while (day + run < target && !lag.has(day + run)) run += 1;
            const res = await admin.post('/v1/sandbox/clock/advance', { days: run });
            expect(res.status).toBe(200);
            day += run;
          }
        };
        const schedule = accounts
          .flatMap((account, index) => account.operations.map((op) => ({ ...op, index })))
          .sort((a, b) => a.day - b.day);
        for (const op of schedule) {
          await moveTo(op.day);
          expect(bank.services.bankClock.today()).toBe(addDays(start, op.day));
          const { id, customer } = opened[op.index] as (typeof opened)[number];
          const res = op.into
            ? await customer.http.post('/v1/transfers', {
                from_account_id: customer.walletId,
                to_account_id: id,
                amount: kes(op.cents),
              })
            : await customer.http.post(`/v1/accounts/${id}/withdrawals-to-wallet`, { amount: kes(op.cents) });
          expect([201, 422], JSON.stringify(res.body)).toContain(res.status);
        }
        await moveTo(DAYS);
        const lastDay = addDays(start, DAYS - 1);
        await bank.services.dailyClose.closeThrough(lastDay);

        for (const { id, customer } of opened) {
          const postings = await postingsOf(id);
          // The oracle: interest × 36,500 (rate 8/100, Actual/365) in bigint, day by day.
          let accrued = 0n; // Σ end-of-day balance × 8 since the last posting, plus the carry (× 36,500)
          let exactYear = 0n; // Σ end-of-day balance × 8 over the year (× 36,500)
          let postedYear = 0n;
          for (let offset = 0; offset < DAYS; offset++) {
            const date = addDays(start, offset);
            // The balance the accrual of `date` saw: postings dated ≤ date, except that day's own
            // month-end interest and tax, which are posted after its accrual.
            const endOfDay = postings
              .filter(
                (p) =>
                  p.effectiveDate < date ||
                  (p.effectiveDate === date && p.kind !== 'interest_posting' && p.kind !== 'withholding_tax'),
              )
              .reduce((sum, p) => sum + p.signed, 0n);
            expect(endOfDay >= 0n).toBe(true);
            accrued += endOfDay * RATE.numerator;
            exactYear += endOfDay * RATE.numerator;
            if (!isLastDayOfMonth(date)) continue;
            const gross = roundHalfEven(accrued, RATE.denominator * 365n);
            const posted = postings.filter((p) => p.effectiveDate === date);
            const interest = posted.filter((p) => p.kind === 'interest_posting').map((p) => p.signed);
            const tax = posted.filter((p) => p.kind === 'withholding_tax').map((p) => -p.signed);
            expect(interest, `gross interest on ${date}`).toEqual(gross > 0n ? [gross] : []);
            const expectedTax = roundHalfEven(gross * TAX.numerator, TAX.denominator);
            expect(tax, `tax on ${date}`).toEqual(expectedTax > 0n ? [expectedTax] : []);
            if (gross > 0n) accrued -= gross * RATE.denominator * 365n;
            postedYear += gross;
          }
          // No cent created or lost: the postings plus what is carried are the exact sum of the days.
          expect(postedYear * RATE.denominator * 365n + accrued).toBe(exactYear);
          const state = await bank.db.prisma.savingsAccount.findUniqueOrThrow({ where: { accountId: id } });
          expect(state.accruedThrough).toBe(lastDay);
          // The server keeps the carry × 365 in minor units: accrued / 100 here.
          const [whole, fraction = ''] = state.accruedTimes365.replace('-', '').split('.');
          const sign = state.accruedTimes365.startsWith('-') ? -1n : 1n;
          const scale = 10n ** BigInt(fraction.length);
          expect(sign * BigInt(`${whole}${fraction}`) * RATE.denominator).toBe(accrued * scale);

          // Every statement adds up, and closes at the ledger's balance on its last day.
          for (const [a, b] of periods) {
            const from = addDays(start, Math.min(a, b));
            const to = addDays(start, Math.max(a, b));
            const res = await customer.http.get<{
              opening_balance: { amount: string };
              closing_balance: { amount: string };
              lines: { date: string; amount: { amount: string }; balance: { amount: string } }[];
            }>(`/v1/accounts/${id}/statement?from=${from}&to=${to}`);
            expect(res.status).toBe(200);
            const opening = postings.filter((p) => p.effectiveDate < from).reduce((s, p) => s + p.signed, 0n);
            const closing = postings.filter((p) => p.effectiveDate <= to).reduce((s, p) => s + p.signed, 0n);
            expect(cents(res.body.opening_balance)).toBe(opening);
            expect(cents(res.body.closing_balance)).toBe(closing);
            let running = opening;
            for (const line of res.body.lines) {
              expect(line.date >= from && line.date <= to).toBe(true);
              running += cents(line.amount);
              expect(cents(line.balance)).toBe(running);
            }
            expect(running).toBe(closing);
            expect(res.body.lines).toHaveLength(
              postings.filter((p) => p.effectiveDate >= from && p.effectiveDate <= to).length,
            );
          }
        }
        expect((await reconcile(bank.db.prisma)).ok).toBe(true);
      }),
      { numRuns: Number(process.env.SAVINGS_PROPERTY_RUNS ?? 2), seed: 11_2025, endOnFailure: true },
    );
  }, 900_000);
});
