/**
 * Mock mode's Borrow routes through the real SDK client (so every answer also passes the SDK's
 * contract schemas): quotes add up, decisions follow the limit, accepting and repaying happen once
 * per Idempotency-Key, more than the payoff is refused, and the payoff closes the loan.
 */
import { Money } from '@wekeza/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMockClient,
  MOCK_LOAN_ACTIVE,
  MOCK_PRODUCT_ADVANCE,
  MOCK_PRODUCT_BIASHARA,
  MOCK_WALLET_ID,
  MockBank,
} from '../src/mock/index.ts';

const kes = (amount: string) => Money.parse(amount, 'KES');

describe('MockBank Borrow routes through the real SDK client', () => {
  it('when quoting any allowed terms, then principal adds up to the amount and net = amount − fee (property)', async () => {
    const client = createMockClient();
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 500_000n, max: 20_000_000n }),
        fc.integer({ min: 3, max: 12 }),
        async (minor, term) => {
          const amount = Money.of(minor, 'KES');
          const quote = await client.loanQuotes.create({
            productId: MOCK_PRODUCT_BIASHARA,
            amount,
            termMonths: term,
          });
          expect(quote.schedule).toHaveLength(term);
          const principal = quote.schedule.reduce((sum, row) => sum.add(row.principal), Money.zero('KES'));
          expect(principal.equals(amount)).toBe(true);
          expect(quote.netDisbursed.equals(amount.subtract(quote.fee))).toBe(true);
          expect(quote.totalCostOfCredit.equals(quote.totalRepayable.subtract(quote.netDisbursed))).toBe(
            true,
          );
          for (const row of quote.schedule)
            expect(row.total.equals(row.principal.add(row.interest))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('when applying within, above and far above the limit, then approved, referred and declined', async () => {
    const client = createMockClient();
    const apply = (amount: string) =>
      client.loanApplications.create({
        productId: MOCK_PRODUCT_BIASHARA,
        amount: kes(amount),
        termMonths: 6,
      });
    expect((await apply('30000')).decision).toBe('approved');
    expect((await apply('45000')).decision).toBe('referred');
    const declined = await apply('90000');
    expect(declined.decision).toBe('declined');
    expect(declined.offer).toBeNull();
    expect(declined.reasons.length).toBeGreaterThan(0);
    await expect(
      client.loanQuotes.create({ productId: MOCK_PRODUCT_ADVANCE, amount: kes('999999'), termMonths: 1 }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('when accepting twice with one key, then one loan and one disbursement; a second key is a conflict', async () => {
    const bank = new MockBank();
    const client = createMockClient(bank);
    const before = kes(bank.balanceOf(MOCK_WALLET_ID) ?? '0');
    const application = await client.loanApplications.create({
      productId: MOCK_PRODUCT_ADVANCE,
      amount: kes('10000'),
      termMonths: 2,
    });
    const [a, b] = await Promise.all([
      client.loanApplications.accept(application.id, { idempotencyKey: 'accept-once' }),
      client.loanApplications.accept(application.id, { idempotencyKey: 'accept-once' }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.status).toBe('active');
    expect(a.label).toBe('Credited');
    expect(
      kes(bank.balanceOf(MOCK_WALLET_ID) ?? '0')
        .subtract(before)
        .toDecimalString(),
    ).toBe('9800.00');
    await expect(client.loanApplications.accept(application.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('when repaying more than the payoff, then 422 exceeds_payoff; a part, then the payoff, closes the loan', async () => {
    const client = createMockClient();
    const payoff = await client.loans.payoff(MOCK_LOAN_ACTIVE);
    await expect(
      client.loans.repay(MOCK_LOAN_ACTIVE, {
        amount: payoff.total.add(kes('0.01')),
        fromAccountId: MOCK_WALLET_ID,
      }),
    ).rejects.toMatchObject({ code: 'exceeds_payoff' });
    const part = await client.loans.repay(
      MOCK_LOAN_ACTIVE,
      { amount: kes('1000'), fromAccountId: MOCK_WALLET_ID },
      { idempotencyKey: 'part' },
    );
    const again = await client.loans.repay(
      MOCK_LOAN_ACTIVE,
      { amount: kes('1000'), fromAccountId: MOCK_WALLET_ID },
      { idempotencyKey: 'part' },
    );
    expect(again.id).toBe(part.id);
    expect(part.principal.add(part.interest).add(part.penalties).toDecimalString()).toBe('1000.00');
    const rest = await client.loans.payoff(MOCK_LOAN_ACTIVE);
    expect(rest.total.equals(payoff.total.subtract(kes('1000')))).toBe(true);
    const closing = await client.loans.repay(MOCK_LOAN_ACTIVE, {
      amount: rest.total,
      fromAccountId: MOCK_WALLET_ID,
    });
    expect(closing.loan.status).toBe('closed');
    expect(closing.loan.outstanding.total.isZero()).toBe(true);
    expect(closing.loan.schedule.every((row) => row.state === 'paid')).toBe(true);
  });
});
