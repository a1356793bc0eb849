/**
 * The seeded sandbox portfolio and the sandbox staff's second factor (issue 13): customers with
 * months of history and loans in every state, made through the API and the test clock; staff
 * TOTP secrets that sign staff in. Opt-in options, so the rest of the suite stays fast.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPortfolio } from '../src/modules/sandbox/portfolio.ts';
import { SANDBOX_PASSWORD, startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { Http } from './support/http.ts';

describe.each(testDialects())('the sandbox portfolio on %s', (dialect) => {
  let bank: TestBank;

  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_SANDBOX_STAFF_TOTP: '1' });
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when the portfolio is seeded, then there are loans in every state, made through the API, and seeding again does nothing', async () => {
    const options = { customers: 40, months: 6, seed: 7 };
    const summary = await seedPortfolio(bank.url, bank.db, bank.config, bank.services, options);
    expect(summary.skipped).toBe(false);
    expect(summary.customers).toBe(40);
    for (const status of ['active', 'in_arrears', 'closed', 'written_off'])
      expect(summary.loansByStatus[status] ?? 0, `${status} ${JSON.stringify(summary)}`).toBeGreaterThan(0);
    // Through the API: every loan came from an application, every write-off has its audit event.
    const loans = await bank.db.prisma.loan.count();
    expect(await bank.db.prisma.loan.count({ where: { applicationId: null } })).toBe(0);
    const writeOffs = await bank.db.prisma.auditEvent.count({ where: { action: 'loan.written_off' } });
    expect(writeOffs).toBeGreaterThanOrEqual(summary.loansByStatus.written_off ?? 0);
    // Months of history: a portfolio snapshot for every closed bank day since the first loan.
    expect(await bank.db.prisma.portfolioSnapshot.count()).toBeGreaterThanOrEqual(100);
    const again = await seedPortfolio(bank.url, bank.db, bank.config, bank.services, options);
    expect(again.skipped).toBe(true);
    expect(await bank.db.prisma.loan.count()).toBe(loans);
  }, 900_000);

  it('when staff TOTP is on, then the secrets are known at start-up and staff sign in with a code', async () => {
    expect(bank.staffTotp?.map((s) => s.email).sort()).toEqual([
      'admin2@sandbox.test',
      'admin@sandbox.test',
      'banker2@sandbox.test',
      'banker@sandbox.test',
    ]);
    const { secret } = bank.staffTotp!.find((s) => s.email === 'banker@sandbox.test')!;
    const http = new Http(bank.url);
    const without = await http.post('/v1/auth/token', {
      grant_type: 'password',
      username: 'banker@sandbox.test',
      password: SANDBOX_PASSWORD,
    });
    expect(without.body).toMatchObject({ error: 'invalid_grant', code: 'mfa_required' });
    const withCode = await http.post('/v1/auth/token', {
      grant_type: 'password',
      username: 'banker@sandbox.test',
      password: SANDBOX_PASSWORD,
      otp: await generate({ secret }),
    });
    expect(withCode.status).toBe(200);
  });
});
