/**
 * The screenshots of docs/staff-guide.md: a sandbox bank (SQLite, in-process), this workbench, and
 * Debian's Chromium (playwright-core) signed in as a banker and an administrator. The data is made
 * through the bank's own API: applicants (one referred), a banker's override waiting for a second
 * banker, loans that fall into arrears as the sandbox clock moves. Run from the repository root:
 *
 *   npx tsx --conditions=@wekeza/source examples/admin-workbench/scripts/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_PASSWORD, startTestBank } from '@wekeza/reference-server/testing';
import { Money, Wekeza } from '@wekeza/sdk';
import { chromium, type Page } from 'playwright-core';
import { startWorkbench } from '../src/server.ts';

const out = join(import.meta.dirname, '..', '..', '..', 'docs', 'images');
mkdirSync(out, { recursive: true });

const bank = await startTestBank('sqlite');
const workbench = await startWorkbench({ port: 0, bankUrl: bank.url, minify: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});

try {
  const staff = (username: string) =>
    new Wekeza({ baseUrl: bank.url, auth: { username, password: SANDBOX_PASSWORD } });
  const banker = staff('banker@sandbox.test');
  // Applicants: clean files borrow and accept; silent bureau files are referred.
  const applicants: { id: string; app: string; name: string; client: Wekeza }[] = [];
  const names = [
    'Zawadi Mwangi',
    'Otieno Ouma',
    'Achieng Atieno',
    'Kamau Njoroge',
    'Wairimu Kariuki',
    'Baraka Mutua',
  ];
  for (const [i, name] of names.entries()) {
    const tag = `${Date.now() % 100_000}${i}`;
    const email = `applicant${tag}@example.test`;
    const referred = i <= 1;
    const customer = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${tag.padStart(8, '0')}`,
      email,
      password: 'correct horse battery',
      fullName: name,
      nationalId: `3${tag.padStart(7, '0')}${referred ? '8' : '1'}`,
    });
    const client = new Wekeza({
      baseUrl: bank.url,
      auth: { username: email, password: 'correct horse battery' },
    });
    const application = await client.loanApplications.create({
      productId: referred ? 'lprod_sandbox_personal' : 'lprod_sandbox_digital',
      amount: Money.of(referred ? 6_000_000n : 300_000n + BigInt(i) * 50_000n, 'KES'),
      termMonths: referred ? 12 : 3,
    });
    if (application.status === 'approved') await client.loanApplications.accept(application.id);
    applicants.push({ id: customer.id, app: application.id, name, client });
  }
  // The first referred applicant's override waits for a second banker; the second is still to review.
  const waiting = applicants[0] as (typeof applicants)[number];
  const toReview = applicants[1] as (typeof applicants)[number];
  await banker.loanApplications.override(waiting.app, {
    decision: 'approve',
    reason: 'Salary inflows verified by phone with the employer.',
  });
  // The clock in steps, with a long timeout and no retry: each step runs every daily close of its days.
  const clock = new Wekeza({
    baseUrl: bank.url,
    auth: { username: 'admin@sandbox.test', password: SANDBOX_PASSWORD },
    timeoutMs: 170_000,
    maxRetries: 0,
  });
  for (let step = 0; step < 4; step += 1) await clock.sandbox.clock.advance(25);

  const shot = async (page: Page, name: string) => {
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(`docs/images/${name}.png`);
  };
  const signIn = async (username: string): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(workbench.url);
    await page.getByLabel('Phone or e-mail').fill(username);
    await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who').waitFor({ state: 'visible' });
    return page;
  };

  // Banker screens.
  const page = await signIn('banker2@sandbox.test');
  await page.goto(`${workbench.url}/#/customers`);
  await page.getByLabel(/Name, phone, e-mail/).fill('Zawadi');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: waiting.name }).waitFor();
  await shot(page, 'staff-search');
  await page.getByRole('button', { name: waiting.name }).click();
  await page.locator('wk-customer-360 [part~="applications"]').waitFor();
  await shot(page, 'staff-customer-360');
  await page.goto(`${workbench.url}/#/applications/${toReview.app}`);
  await page.locator('wk-application-review [part~="reasons"]').waitFor();
  await page
    .locator('wk-application-review [part~="reason-input"]')
    .fill('Regular salary inflows confirmed by phone with the employer.');
  await shot(page, 'staff-application-review');
  await page.goto(`${workbench.url}/#/approvals`);
  await page.locator('wk-approval-queue [part~="item"]').first().waitFor();
  await shot(page, 'staff-approval-queue');
  await page.context().close();

  // Administrator screens.
  const adminPage = await signIn('admin@sandbox.test');
  for (const [hash, name, wait] of [
    ['portfolio', 'staff-portfolio', 'wk-portfolio [part~="kpis"]'],
    [
      'models',
      'staff-model-governance',
      'wk-model-governance [part~="models"], wk-model-governance [part~="error"]',
    ],
    ['policy', 'staff-policy-editor', 'wk-policy-editor [part~="form"], wk-policy-editor [part~="error"]'],
    ['audit', 'staff-audit-log', 'wk-audit-log [part~="table"]'],
  ] as const) {
    await adminPage.goto(`${workbench.url}/#/${hash}`);
    await adminPage.locator(wait).first().waitFor({ timeout: 20_000 });
    if (hash === 'audit') {
      await adminPage.locator('wk-audit-log [part~="row"]').first().getByRole('button').click();
      await adminPage.getByRole('button', { name: 'Check its inclusion proof here' }).click();
      await adminPage.getByText(/Verified in this browser|Not sealed/).waitFor({ timeout: 20_000 });
    }
    if (hash === 'policy' && (await adminPage.locator('wk-policy-editor [part~="form"]').count()) > 0) {
      const approve = adminPage.locator('wk-policy-editor [part~="approve-input"]');
      await approve.fill(String(Number(await approve.inputValue()) + 40));
      await adminPage.getByRole('button', { name: 'Run the dry run' }).click();
      await adminPage.locator('wk-policy-editor [part~="dry-run"]').waitFor({ timeout: 20_000 });
    }
    await shot(adminPage, name);
  }
} finally {
  await browser.close();
  await workbench.close();
  await bank.stop();
}
