/**
 * End to end: a real bank in-process (SQLite, and MySQL/MariaDB when TEST_MYSQL_URL is set), the
 * Admin Workbench against it, and Debian's Chromium as the bank's staff. A banker (signing in with
 * a TOTP second factor) finds a referred applicant, reads the Customer 360 and overrides the
 * decision with a reason; a second banker approves it; the customer's loan appears; the admin sees
 * the NPL ratio change after the sandbox clock moves; the audit log shows each action, its
 * inclusion proof checks out in the browser, and the whole log verifies.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { Money, Wekeza } from '@wekeza/sdk';
import { staff } from '@wekeza/sdk/staff';
import { generate } from 'otplib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, type RunningWorkbench, startWorkbench } from '../src/server.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
const BANKER = 'banker@sandbox.test';
const BANKER2 = 'banker2@sandbox.test';
const ADMIN = 'admin@sandbox.test';

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

/** A national ID the sandbox bureau never answers for (last digit 8): the engine refers the application. */
const silentNationalId = () => `3${String(Date.now() % 1_000_000).padStart(6, '0')}${process.pid % 90}8`;

describe.each(testDialects())('Admin Workbench against a %s bank', (dialect) => {
  let bank: TestBank;
  let workbench: RunningWorkbench;
  let applicant: Wekeza;
  let applicantId: string;
  let applicantName: string;
  let applicationId: string;
  /** The banker's TOTP secret (enrolled through the API before the browser signs in). */
  let bankerSecret: string;
  const problems: string[] = [];

  const staffClient = (username: string) =>
    new Wekeza({ baseUrl: bank.url, auth: { username, password: SANDBOX_PASSWORD } });

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    workbench = await startWorkbench({ port: 0, bankUrl: bank.url, minify: false });
    // The banker turns on TOTP, as staff must in production.
    const banker = staffClient(BANKER);
    const enrolment = await banker.mfa.totp.enrol({ password: SANDBOX_PASSWORD });
    bankerSecret = enrolment.secret;
    await banker.mfa.totp.verify(await generate({ secret: bankerSecret }));
    // A new customer whose bureau check never answers applies for more than the override threshold.
    const tag = `${Date.now() % 1_000_000}`;
    applicantName = `Zawadi Mwangi ${tag}`;
    const email = `zawadi${tag}@example.test`;
    const customer = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${tag.padStart(8, '0')}`,
      email,
      password: 'correct horse battery',
      fullName: applicantName,
      nationalId: silentNationalId(),
    });
    applicantId = customer.id;
    applicant = new Wekeza({
      baseUrl: bank.url,
      auth: { username: email, password: 'correct horse battery' },
    });
    const application = await applicant.loanApplications.create({
      productId: 'lprod_sandbox_personal',
      amount: Money.of(6_000_000n, 'KES'),
      termMonths: 12,
    });
    expect(application.status).toBe('referred');
    applicationId = application.id;
  });

  afterAll(async () => {
    await workbench?.close();
    await bank?.stop();
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      // The refusals this story provokes on purpose (the TOTP step, deciding one's own request) are
      // logged by the browser as failed loads; anything else is a problem.
      const expected = /Failed to load resource: the server responded with a status of (400|401|403)/;
      if (message.type() === 'error' && !expected.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Any Content-Security-Policy violation (charts, the audit verifier, the widgets' styles) is a problem.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await page.goto(workbench.url);
    return page;
  }

  async function signIn(page: Page, username: string, secret?: string): Promise<void> {
    await page.getByLabel('Phone or e-mail').fill(username);
    await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (secret) {
      // The bank asks for the second factor; the workbench asks the banker for the code.
      // The next time step: the bank accepts each step once, and enrolment spent the current one.
      const next = Math.floor(Date.now() / 1000) + 30;
      await page.getByLabel('Authenticator code').fill(await generate({ secret, epoch: next }));
      await page.getByRole('button', { name: 'Verify' }).click();
    }
    await expect.poll(() => page.locator('#who').textContent(), { timeout: 15_000 }).toMatch(/banker|admin/);
  }

  it('when a banker overrides a referred application with a reason and a second banker approves it, then the loan appears', async () => {
    const page = await open();
    const response = await page.request.get(workbench.url);
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(Object.keys(CSP_DIRECTIVES)).toContain('connectSrc');

    // Sign-in needs the TOTP code: without it the workbench asks for it.
    await signIn(page, BANKER, bankerSecret);
    // A banker's screens: no Risk Ops.
    const screens = () => page.locator('nav li:not([hidden])').allTextContents();
    await expect.poll(screens, { timeout: 15_000 }).toEqual(['Customers', 'Approvals']);

    // Find the applicant.
    await page.getByLabel(/Name, phone, e-mail/).fill(applicantName.split(' ').slice(0, 2).join(' '));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: applicantName }).click();

    // The Customer 360: profile, KYC, the referred application.
    const c360 = page.locator('wk-customer-360');
    await expect
      .poll(() => c360.locator('[part~="heading"]').textContent(), { timeout: 15_000 })
      .toContain(applicantName);
    await expect.poll(() => c360.locator('[part~="applications"]').textContent()).toMatch(/Referred/);
    await page.screenshot({ path: join(artifacts, `workbench-360-${dialect}.png`), fullPage: true });
    await c360.getByRole('button', { name: `Review ${applicationId}` }).click();

    // The application: decision, reasons; override with a mandatory reason.
    const review = page.locator('wk-application-review');
    await expect
      .poll(() => review.locator('[part~="decision"]').textContent(), { timeout: 15_000 })
      .toBe('Referred');
    await expect
      .poll(() => review.locator('[part~="reasons"]').textContent(), { timeout: 15_000 })
      .toMatch(/bureau/i);
    await review.getByRole('button', { name: 'Approve with this reason' }).click();
    await expect
      .poll(() => review.locator('#reason-error').textContent(), { timeout: 15_000 })
      .toContain('Give a reason');
    await review.getByLabel(/Reason \(required/).fill('Salary inflows verified by phone with the employer.');
    await review.getByRole('button', { name: 'Approve with this reason' }).click();
    await expect
      .poll(() => review.locator('[part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/Sent for a second banker’s approval \(apr_/);

    // The maker cannot check their own request.
    await page.locator('nav').getByRole('link', { name: 'Approvals' }).click();
    const queue = page.locator('wk-approval-queue');
    const mine = queue.locator('[part~="item"]', { hasText: applicationId });
    await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
    await mine.getByLabel('Your reason (required)').fill('Looks fine to me.');
    await mine.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => mine.textContent(), { timeout: 15_000 })
      .toContain('You cannot decide your own request');
    await page.context().close();

    // A second banker approves it.
    const page2 = await open();
    await signIn(page2, BANKER2);
    await page2.locator('nav').getByRole('link', { name: 'Approvals' }).click();
    const item = page2.locator('wk-approval-queue [part~="item"]', { hasText: applicationId });
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain('Salary inflows verified');
    await item.getByLabel('Your reason (required)').fill('Agreed after calling the customer.');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page2.locator('wk-approval-queue [part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/approved and carried out/);

    // The customer accepts the offer; their loan appears in the 360.
    const after = await applicant.loanApplications.retrieve(applicationId);
    expect(after).toMatchObject({ status: 'approved', decision: 'referred' });
    const loan = await applicant.loanApplications.accept(applicationId);
    expect(loan.status).toBe('active');
    await page2.goto(`${workbench.url}/#/customers/${applicantId}`);
    await expect
      .poll(() => page2.locator('wk-customer-360 [part~="loans"]').textContent(), { timeout: 15_000 })
      .toContain(loan.id);
    await expect
      .poll(() => page2.locator('wk-customer-360 [part~="overrides"]').textContent(), { timeout: 15_000 })
      .toContain('Salary inflows verified');
    await page2.context().close();
  });

  it('when the sandbox clock moves past 90 days unpaid, then the admin sees the NPL ratio change, dry-runs a stricter cut-off, activates a challenger, and the audit log shows each action and verifies', async () => {
    const page = await open();
    await signIn(page, ADMIN);
    await page.locator('nav').getByRole('link', { name: 'Portfolio' }).click();
    const portfolio = page.locator('wk-portfolio');
    await expect
      .poll(() => portfolio.locator('[part~="npl"]').textContent(), { timeout: 20_000 })
      .toMatch(/%/);
    const before = await portfolio.locator('[part~="npl"]').textContent();

    // Four months pass with nothing repaid: the loan is more than 90 days past due.
    // (In steps: each step runs every daily close of its days before it answers.)
    const clock = new Wekeza({
      baseUrl: bank.url,
      auth: { username: ADMIN, password: SANDBOX_PASSWORD },
      timeoutMs: 170_000,
      maxRetries: 0,
    });
    for (let step = 0; step < 5; step += 1) await clock.sandbox.clock.advance(25);
    await portfolio.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => portfolio.locator('[part~="npl"]').textContent(), { timeout: 30_000 })
      .not.toBe(before);
    const npl = Number((await portfolio.locator('[part~="npl"]').textContent())?.replace(/[^0-9.]/g, ''));
    expect(npl).toBeGreaterThan(0);
    // The charts have their data tables behind them.
    await expect
      .poll(() => portfolio.locator('wk-chart').first().locator('table').textContent(), { timeout: 15_000 })
      .toContain('Bank day');
    await page.screenshot({ path: join(artifacts, `workbench-portfolio-${dialect}.png`), fullPage: true });

    // A stricter cut-off, dry-run over the last applications: what would change, and nothing saved.
    await page.locator('nav').getByRole('link', { name: 'Credit policy' }).click();
    const editor = page.locator('wk-policy-editor');
    const approve = editor.locator('[part~="approve-input"]');
    await expect.poll(() => approve.inputValue(), { timeout: 15_000 }).toMatch(/^[0-9]+$/);
    const cutoff = Number(await approve.inputValue());
    await approve.fill(String(Math.min(cutoff + 60, 1000)));
    await editor.getByRole('button', { name: 'Run the dry run' }).click();
    const dryRun = editor.locator('[part~="dry-run"]');
    await expect
      .poll(() => dryRun.textContent(), { timeout: 30_000 })
      .toMatch(/Current policy[\s\S]*This draft/);
    expect((await staff(staffClient(ADMIN)).risk.policy.retrieve()).rules.cutoffs.approveMinScore).toBe(
      cutoff,
    );
    await page.screenshot({ path: join(artifacts, `workbench-policy-${dialect}.png`), fullPage: true });

    // The challenger becomes champion: asked by this admin, approved by a second one.
    const registered = await staff(staffClient(ADMIN)).risk.models.list();
    const challenger = registered.data.find((m) => m.role === 'challenger')?.version as string;
    expect(challenger).toBeTruthy();
    await page.locator('nav').getByRole('link', { name: 'Models' }).click();
    const models = page.locator('wk-model-governance');
    await expect
      .poll(() => models.locator('[part~="models"]').textContent(), { timeout: 15_000 })
      .toContain(challenger);
    await models.getByRole('button', { name: `Make champion… ${challenger}` }).click();
    await models.locator('[part~="reason-input"]').fill('Better separation on our own matured loans.');
    await models.locator('[part~="confirm-button"]').click();
    await expect
      .poll(() => models.locator('[part~="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/waits for a second administrator|is now the champion/);
    if (/waits/.test((await models.locator('[part~="status"]').textContent()) ?? '')) {
      const second = await open();
      await signIn(second, 'admin2@sandbox.test');
      await second.goto(`${workbench.url}/#/approvals`);
      const request = second.locator('wk-approval-queue [part~="item"]', { hasText: challenger });
      await expect.poll(() => request.count(), { timeout: 15_000 }).toBe(1);
      await request.getByLabel('Your reason (required)').fill('Governance numbers checked.');
      await request.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => second.locator('wk-approval-queue [part~="status"]').textContent(), { timeout: 15_000 })
        .toMatch(/approved and carried out/);
      await second.context().close();
    }
    const after = await staff(staffClient(ADMIN)).risk.models.list();
    expect(after.data.find((m) => m.role === 'champion')?.version).toBe(challenger);

    // The audit log: every staff action is there (the filter reads older events past the daily close's).
    await page.locator('nav').getByRole('link', { name: 'Audit log' }).click();
    const log = page.locator('wk-audit-log');
    const table = log.locator('[part~="table"]');
    const filter = log.getByLabel(/Filter by action/);
    await expect.poll(() => log.locator('[part~="row"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await filter.fill(applicantId);
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toMatch(/customer\.viewed/);
    await filter.fill('approval.');
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toMatch(/approval\.approved/);
    expect(await table.textContent()).toMatch(/approval\.requested/);
    await filter.fill('risk.model_activated');
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toContain(challenger);
    await filter.fill(applicationId);
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toMatch(/loan_application\.overridden/);
    expect(await table.textContent()).toMatch(/loan_application\.override_requested/);

    // An event's inclusion proof, checked in this browser against the latest signed checkpoint.
    await log.locator('[part~="row"]').first().getByRole('button').click();
    await expect
      .poll(() => log.locator('[part~="detail"]').textContent(), { timeout: 15_000 })
      .toContain(applicationId);
    // Checked once; again only if the event was not sealed into a checkpoint yet.
    const check = log.getByRole('button', { name: 'Check its inclusion proof here' });
    const proof = log.locator('[part~="proof-result"]');
    await check.click();
    await expect
      .poll(
        async () => {
          const text = (await proof.textContent()) ?? '';
          if (/Not sealed/.test(text)) await check.click();
          return text;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/Verified in this browser/);

    // The whole log verifies.
    await log.getByRole('button', { name: 'Verify the whole log' }).click();
    await expect
      .poll(() => log.locator('[part~="log-result"]').textContent(), { timeout: 30_000 })
      .toMatch(/The log is intact/);
    await page.screenshot({ path: join(artifacts, `workbench-audit-${dialect}.png`), fullPage: true });
    await page.context().close();
    expect(problems).toEqual([]);
  });

  it('when a customer or a wrong handle calls the workbench, then it is refused', async () => {
    const customer = await fetch(`${workbench.url}/bank/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        username: 'customer@sandbox.test',
        password: SANDBOX_PASSWORD,
      }),
    });
    expect(customer.status).toBe(403);
    expect(customer.headers.get('set-cookie')).toBeNull();
    const guess = await fetch(`${workbench.url}/bank/v1/customers?query=Zawadi`, {
      headers: { authorization: 'Bearer workbench_guess' },
    });
    expect(guess.status).toBe(401);
    const notForwarded = await fetch(`${workbench.url}/bank/v1/sandbox/clock/advance`, { method: 'POST' });
    expect(notForwarded.status).toBe(404);
    const keys = await fetch(`${workbench.url}/bank/v1/audit/public-keys`);
    expect(keys.status).toBe(200);
  });
});
