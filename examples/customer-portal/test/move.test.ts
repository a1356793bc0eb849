/**
 * End to end, Top up / Withdraw: a real bank in-process (SQLite, and MySQL/MariaDB when
 * TEST_MYSQL_URL is set) with its sandbox M-Pesa simulator answering asynchronously, the portal
 * against it, and Debian's Chromium as the customer. The customer tops up by M-Pesa and sees the
 * balance grow live (no reload), withdraws to M-Pesa and sees it succeed, and a phone ending 1032
 * shows "cancelled".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type RunningPortal, startPortal } from '../src/server.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
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

describe.each(testDialects())('Customer Portal, Top up / Withdraw, against a %s bank', (dialect) => {
  let bank: TestBank;
  let portal: RunningPortal;

  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_WEBHOOK_INTERVAL_MS: '100' });
    // The simulated phone answers a second and a half later, on its own (Daraja's callback).
    bank.services.simulator?.configure('mpesa', { delayMs: 1500 });
    portal = await startPortal({ port: 0, bankUrl: bank.url, minify: false });
  });

  afterAll(async () => {
    await portal?.close();
    await bank?.stop();
  });

  it('when the customer tops up, withdraws and is cancelled on the phone, then each shows live and the balance follows without a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));

    await page.goto(portal.url);
    // Signed out, the sections are not offered.
    expect(await page.getByRole('link', { name: 'Top up / Withdraw' }).isVisible()).toBe(false);
    await page.getByLabel('Phone or e-mail').fill(CUSTOMER);
    await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Top up / Withdraw' }).click();
    expect(await page.getByRole('link', { name: 'Top up / Withdraw' }).getAttribute('aria-current')).toBe(
      'page',
    );

    const balance = page.locator('wk-wallet-balance [part~="available"]');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s25,000\.00/);
    // A marker that a reload would wipe, and the status events the widgets fire.
    await page.evaluate(() => {
      const w = window as unknown as { marker: string; statuses: string[] };
      w.marker = 'no reload';
      w.statuses = [];
      document.addEventListener('wk-status', (event) => {
        const detail = (event as CustomEvent<{ kind: string; status: string; via: string }>).detail;
        w.statuses.push(`${detail.kind} ${detail.status} ${detail.via}`);
      });
    });

    // Top up KES 1,500 by M-Pesa: "check your phone", then the money arrives, then the balance grows.
    const deposit = page.locator('wk-deposit');
    await deposit.getByLabel('M-Pesa phone number').fill('0712 345 678');
    await deposit.getByLabel('Amount (KES, whole shillings)').fill('1500');
    await deposit.getByRole('button', { name: 'Send request to phone' }).click();
    await expect
      .poll(() => deposit.locator('[part~="message"]').textContent(), { timeout: 15_000 })
      .toMatch(/Check your phone: enter your M-Pesa PIN to pay Ksh\s1,500\.00/);
    await expect
      .poll(() => deposit.locator('[part~="message"]').textContent(), { timeout: 20_000 })
      .toMatch(/Ksh\s1,500\.00 added to your wallet\. M-Pesa receipt [A-Z0-9]{10}\./);
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s26,500\.00/);
    await page.screenshot({ path: join(artifacts, `portal-topup-${dialect}.png`), fullPage: true });

    // Withdraw KES 500 to M-Pesa: held at once, then sent; the balance follows.
    const withdraw = page.locator('wk-withdraw');
    await withdraw.getByLabel('M-Pesa phone number').fill('0722000111');
    await withdraw.getByLabel('Amount (KES, whole shillings)').fill('500');
    await withdraw.getByRole('button', { name: /^Withdraw Ksh\s500\.00$/ }).click();
    await expect
      .poll(() => withdraw.locator('[part~="message"]').textContent(), { timeout: 20_000 })
      .toMatch(/Ksh\s500\.00 sent to 254722000111\. Receipt [A-Z0-9]+\./);
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toMatch(/Ksh\s26,000\.00/);

    // A phone ending 1032 cancels the STK push: the widget says so.
    await deposit.getByRole('button', { name: 'Start again' }).click();
    await deposit.getByLabel('M-Pesa phone number').fill('0700001032');
    await deposit.getByLabel('Amount (KES, whole shillings)').fill('300');
    await deposit.getByRole('button', { name: 'Send request to phone' }).click();
    await expect
      .poll(() => deposit.locator('[part~="message"]').textContent(), { timeout: 20_000 })
      .toMatch(/did not go through\. The request was cancelled on the phone\./);
    expect(await deposit.locator('[part~="live-status"]').getAttribute('data-status')).toBe('failed');
    await page.screenshot({ path: join(artifacts, `portal-cancelled-${dialect}.png`), fullPage: true });
    await expect.poll(() => balance.textContent()).toMatch(/Ksh\s26,000\.00/);

    // No reload happened; the statuses came over the live stream (read with fetch through /bank).
    const seen = await page.evaluate(() => {
      const w = window as unknown as { marker: string; statuses: string[] };
      return { marker: w.marker, statuses: w.statuses };
    });
    expect(seen.marker).toBe('no reload');
    expect(seen.statuses).toEqual(
      expect.arrayContaining([
        'deposit pending request',
        'deposit succeeded stream',
        'withdrawal succeeded stream',
        'deposit failed stream',
      ]),
    );
    expect(requests.some((url) => url === `${portal.url}/bank/v1/events/stream`)).toBe(true);
    expect(requests.every((url) => url.startsWith(portal.url))).toBe(true);
    expect(requests.some((url) => url.includes('token='))).toBe(false);
    expect(problems).toEqual([]);
  });
});
