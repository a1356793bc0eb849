/**
 * End to end: a real bank in-process (SQLite, and MySQL/MariaDB when TEST_MYSQL_URL is set), the
 * portal against it, and Debian's Chromium as the customer: sign in, see the balance, send money
 * to their savings account, see it in the transactions list with the balance updated.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { Wekeza } from '@wekeza/sdk';
import { generate } from 'otplib';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, type RunningPortal, startPortal } from '../src/server.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe (WCAG 2.1 A/AA) on the whole page, widgets' shadow roots included: the violations. */
async function axeViolations(page: import('playwright-core').Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP (no inline script) stays as it is.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Axe = {
      run(
        context: Document,
        options: unknown,
      ): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}
const CUSTOMER = 'customer@sandbox.test';

let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe.each(testDialects())('Customer Portal against a %s bank', (dialect) => {
  let bank: TestBank;
  let portal: RunningPortal;
  let savingsId: string;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    portal = await startPortal({ port: 0, bankUrl: bank.url, minify: false });
    // The customer opens a savings account (through the API) to send money to.
    const client = new Wekeza({
      baseUrl: bank.url,
      auth: { username: CUSTOMER, password: SANDBOX_PASSWORD },
    });
    savingsId = (await client.accounts.create({ type: 'savings', currency: 'KES' })).id;
  });

  afterAll(async () => {
    await portal?.close();
    await bank?.stop();
  });

  it('when the customer signs in and sends money to savings, then the list and the balance show it', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));

    const response = await page.goto(portal.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(Object.keys(CSP_DIRECTIVES)).toContain('connectSrc');
    await page.evaluate(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { violations: string[] }).violations.push(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });

    // Sign in with <wk-login> (Playwright's locators pierce the widgets' open shadow roots).
    await page.getByLabel('Phone or e-mail').fill(CUSTOMER);
    await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The balance: KES 25,000.00 (shown the en-KE way, "Ksh 25,000.00").
    const balance = page.locator('wk-wallet-balance [part~="available"]');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s25,000\.00/);
    expect(await context.cookies()).toEqual([
      expect.objectContaining({ name: 'wk_portal_session', httpOnly: true, sameSite: 'Strict' }),
    ]);

    // Send KES 1,500.50 from the wallet to the new savings account.
    const form = page.locator('wk-transfer-form');
    await expect.poll(() => form.locator('[part~="to-select"]').inputValue()).toBe(savingsId);
    await form.getByLabel('Amount (KES)').fill('1500.50');
    await form.getByLabel('Reference (optional)').fill('Rent March');
    await form.getByRole('button', { name: 'Review transfer' }).click();
    await form.getByRole('button', { name: /^Send Ksh/ }).click();
    await expect
      .poll(() => form.locator('[part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(new RegExp(`Sent Ksh\\s1,500\\.50 to Savings ••${savingsId.slice(-4)}`));

    // The new line is in the transactions list, and the balance is updated.
    const firstRow = page.locator('wk-transactions [part~="row"]').first();
    await expect.poll(() => firstRow.textContent(), { timeout: 15_000 }).toMatch(/Rent March/);
    expect(await firstRow.textContent()).toMatch(/-Ksh\s1,500\.50.*Ksh\s23,499\.50/s);
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s23,499\.50/);
    await page.screenshot({ path: join(artifacts, `portal-${dialect}.png`), fullPage: true });

    // The bank agrees, the browser only ever talked to the portal, and the policy held.
    const bankClient = new Wekeza({
      baseUrl: bank.url,
      auth: { username: CUSTOMER, password: SANDBOX_PASSWORD },
    });
    const accounts = await bankClient.accounts.list();
    const savings = accounts.data.find((a) => a.id === savingsId);
    expect(savings?.balance.ledger.toDecimalString()).toBe('1500.50');
    expect(requests.every((url) => url.startsWith(portal.url))).toBe(true);
    expect(requests.some((url) => url.startsWith(`${portal.url}/bank/v1/transfers`))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the customer borrows and repays, then they see the limit, Credited, the wallet grow, a partial payment and Closed', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1600 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    const amountOf = (text: string | null) =>
      Number((/Ksh\s([\d,]+\.\d\d)/.exec(text ?? '')?.[1] ?? 'NaN').replace(/,/g, ''));

    // Sign in; the dashboard shows the wallet, the loan limit and the loans.
    await page.goto(portal.url);
    await page.getByLabel('Phone or e-mail').fill(CUSTOMER);
    await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const balance = page.locator('wk-wallet-balance [part~="available"]');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh/);
    const before = amountOf(await balance.textContent());
    const limit = page.locator('wk-credit-limit [part~="limit"]');
    await expect.poll(() => limit.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s1,000\.00/);
    // Plain-language reasons, never the model's feature names.
    const reasons = await page.locator('wk-credit-limit [part~="reasons"]').textContent();
    expect(reasons).toMatch(/We have too little history with you/);
    expect(reasons).not.toMatch(/avgMonthlyInflow|best-scoring/);
    await expect
      .poll(() => page.locator('wk-loan-status [part~="empty"]').count(), { timeout: 15_000 })
      .toBe(1);
    expect(await axeViolations(page), 'axe on the dashboard').toEqual([]);

    // Borrow: a live quote, apply, approved, accept: the money reaches the wallet, the loan is Credited.
    await page.getByRole('link', { name: 'Borrow' }).click();
    const apply = page.locator('wk-loan-application');
    await apply.getByLabel('Amount (KES)').fill('1000');
    await apply.getByLabel('Repay over').selectOption('2');
    await expect
      .poll(() => apply.locator('[part~="quote"]').textContent(), { timeout: 15_000 })
      .toMatch(/You receive/);
    expect(await apply.locator('[part~="instalment"]').count()).toBe(2);
    await expect.poll(() => apply.locator('[part~="chart"] canvas').count(), { timeout: 15_000 }).toBe(1);
    expect(await axeViolations(page), 'axe on the Borrow page with a quote').toEqual([]);
    await apply.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => apply.locator('[part~="decision"]').textContent(), { timeout: 15_000 })
      .toMatch(/Approved/);
    const net = amountOf(await apply.locator('[part~="accept-button"]').textContent());
    expect(net).toBeGreaterThan(0);
    await apply.locator('[part~="accept-button"]').click();
    await expect
      .poll(() => apply.locator('[part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/was sent to your wallet\. Loan number \d+\. Loan status: Credited/);
    await page.getByRole('link', { name: 'Home' }).click();
    await expect
      .poll(async () => amountOf(await balance.textContent()), { timeout: 15_000 })
      .toBeCloseTo(before + net, 2);
    const status = page.locator('wk-loan-status');
    await expect
      .poll(() => status.locator('[part~="label"]').first().textContent(), { timeout: 15_000 })
      .toBe('Credited');

    // A month passes on the bank's clock (the sandbox test clock, through the API).
    const bankClient = new Wekeza({
      baseUrl: bank.url,
      auth: { username: CUSTOMER, password: SANDBOX_PASSWORD },
    });
    await bankClient.sandbox.clock.advance(10);

    // Repay part, then pay off today's payoff in full: the loan is Closed.
    await page.getByRole('link', { name: 'Repay' }).click();
    const repay = page.locator('wk-repayment');
    await expect
      .poll(() => repay.locator('[part~="payoff"]').textContent(), { timeout: 15_000 })
      .toMatch(/To close the loan today/);
    await repay.getByLabel('Amount (KES)').fill('200');
    await repay.getByRole('button', { name: 'Review payment' }).click();
    await repay.getByRole('button', { name: /^Pay Ksh/ }).click();
    await expect
      .poll(() => repay.locator('[part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/Paid Ksh\s200\.00\. Ksh\s[\d,.]+ still owed\./);
    await repay.getByRole('button', { name: 'Make another payment' }).click();
    await expect
      .poll(() => repay.locator('[part~="payoff"]').textContent(), { timeout: 15_000 })
      .toMatch(/To close the loan today/);
    await repay.getByLabel('How much').selectOption('full');
    await repay.getByRole('button', { name: 'Review payment' }).click();
    await repay.getByRole('button', { name: /^Pay Ksh/ }).click();
    await expect
      .poll(() => repay.locator('[part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/The loan is closed\./);
    expect(await axeViolations(page), 'axe on the Repay page').toEqual([]);
    const loans = page.locator('wk-repayment ~ wk-loan-status');
    await expect
      .poll(() => loans.locator('[part~="label"]').first().textContent(), { timeout: 15_000 })
      .toBe('Closed');
    await page.screenshot({ path: join(artifacts, `portal-borrow-${dialect}.png`), fullPage: true });

    // The bank agrees: the loan is closed; the browser only ever talked to the portal.
    const [loan] = (await bankClient.loans.list()).data;
    expect(loan?.status).toBe('closed');
    expect(loan?.outstanding.total.isZero()).toBe(true);
    expect(requests.every((url) => url.startsWith(portal.url))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when a customer with TOTP signs in, then the portal asks for the code (step-up) and signs them in with it', async () => {
    const email = `totp-${dialect}-${Date.now()}@example.test`;
    const password = 'correct horse battery';
    await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${String(Date.now()).slice(-8)}`,
      email,
      password,
      fullName: 'Wanjiru Kamau',
    });
    const customer = new Wekeza({ baseUrl: bank.url, auth: { username: email, password } });
    const { secret } = await customer.mfa.totp.enrol({ password });
    const now = () => Math.floor(Date.now() / 1000);
    // Enrol with the previous time step's code, sign in with the current one (a used code cannot be replayed).
    await customer.mfa.totp.verify(await generate({ secret, epoch: now() - 30 }));

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(portal.url);
    await page.getByLabel('Phone or e-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verification code' });
    await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(true);
    await dialog.getByLabel('Code').fill(await generate({ secret, epoch: now() }));
    await dialog.getByRole('button', { name: 'Verify' }).click();
    const balance = page.locator('wk-wallet-balance [part~="available"]');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s0\.00/);
    expect(await dialog.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the browser calls /bank without the session cookie or with a wrong handle, then it is refused', async () => {
    const anonymous = await fetch(`${portal.url}/bank/v1/accounts`, {
      headers: { authorization: 'Bearer portal_guess' },
    });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).code).toBe('unauthenticated');

    const login = await fetch(`${portal.url}/bank/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: CUSTOMER, password: SANDBOX_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { access_token: handle } = (await login.json()) as { access_token: string };
    expect(handle).toMatch(/^portal_/);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const ok = await fetch(`${portal.url}/bank/v1/accounts`, {
      headers: { cookie, authorization: `Bearer ${handle}` },
    });
    expect(ok.status).toBe(200);
    const cookieOnly = await fetch(`${portal.url}/bank/v1/accounts`, { headers: { cookie } });
    expect(cookieOnly.status).toBe(401);
    const notForwarded = await fetch(`${portal.url}/bank/v1/sandbox/deposits`, {
      method: 'POST',
      headers: { cookie, authorization: `Bearer ${handle}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notForwarded.status).toBe(404);
    const clientCredentials = await fetch(`${portal.url}/bank/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }),
    });
    expect(clientCredentials.status).toBe(400);
    const wrong = await fetch(`${portal.url}/bank/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: CUSTOMER, password: 'wrong-password' }),
    });
    // The bank's RFC 6749 answer, passed through: 400 invalid_grant with the problem code beside it.
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant', code: 'unauthenticated' });
  });
});
