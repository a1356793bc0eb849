/**
 * End to end, Save and Send money: a real bank in-process (SQLite, and MySQL/MariaDB when
 * TEST_MYSQL_URL is set), the portal against it, Debian's Chromium as the customer. Open a fixed
 * deposit (the bank's quote shown first), download a PDF statement and read its text back with
 * PDF.js, and send money to another customer by phone number (the masked name shown first).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { Money, Wekeza } from '@wekeza/sdk';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPortal, startPortal } from '../src/server.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
const CUSTOMER = 'customer@sandbox.test';
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** The text of every page of a PDF, as a reader (Mozilla's PDF.js) extracts it. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: `${join(pdfjsRoot, 'standard_fonts')}/`,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  let text = '';
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
  }
  await pdf.destroy();
  return text.replace(/\s+/g, ' ');
}

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

describe.each(testDialects())(
  'Customer Portal: Save, Statements, Send money against a %s bank',
  (dialect) => {
    let bank: TestBank;
    let portal: RunningPortal;
    let customer: Wekeza;
    let payee: { phone: string; walletId: string };

    beforeAll(async () => {
      bank = await startTestBank(dialect);
      portal = await startPortal({ port: 0, bankUrl: bank.url, minify: false });
      customer = new Wekeza({ baseUrl: bank.url, auth: { username: CUSTOMER, password: SANDBOX_PASSWORD } });
      // Someone to send money to: a new customer, known to the sender only by phone number.
      const n = `${Date.now()}`.slice(-8);
      const phone = `+2547${n}`;
      const signup = await new Wekeza({ baseUrl: bank.url }).signup({
        phone,
        email: `wanjiru-${dialect}-${n}@example.test`,
        password: 'long-password-1',
        fullName: 'Wanjiru Njeri Kamau',
      });
      payee = { phone, walletId: signup.walletAccountId as string };
    });

    afterAll(async () => {
      await portal?.close();
      await bank?.stop();
    });

    async function signIn(page: Page): Promise<void> {
      await page.goto(portal.url);
      await page.getByLabel('Phone or e-mail').fill(CUSTOMER);
      await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect
        .poll(() => page.locator('wk-wallet-balance [part~="available"]').textContent(), { timeout: 15_000 })
        .toMatch(/Ksh/);
    }

    it('when the customer opens a fixed deposit, downloads a PDF statement and sends money by phone, then the bank agrees', async () => {
      const context = await browser.newContext({
        viewport: { width: 1100, height: 1400 },
        acceptDownloads: true,
      });
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await signIn(page);

      // Save: a fixed deposit of KES 5,000 for 6 months; the bank's quote is shown before opening.
      await page.getByRole('link', { name: 'Save' }).click();
      const deposit = page.locator('wk-fixed-deposit');
      await expect.poll(() => deposit.textContent(), { timeout: 15_000 }).toBeDefined();
      await expect.poll(() => deposit.locator('[part~="term-select"]').count(), { timeout: 15_000 }).toBe(1);
      const products = await deposit.locator('[part~="product-select"]').count();
      if (products > 0) {
        const options = await deposit.locator('[part~="product-select"] option').allTextContents();
        const sixMonths = options.findIndex((o) => /6/.test(o));
        if (sixMonths >= 0)
          await deposit.locator('[part~="product-select"]').selectOption({ index: sixMonths });
      }
      const terms = deposit.locator('[part~="term-select"]');
      const termValues = await terms
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const term = termValues.includes('6') ? '6' : (termValues[0] as string);
      await terms.selectOption(term);
      await deposit.getByLabel(/From your wallet/).fill('5000');
      await deposit.getByRole('button', { name: 'What you get' }).click();
      const quote = deposit.locator('[part~="quote"]');
      await expect.poll(() => quote.textContent(), { timeout: 15_000 }).toMatch(/Paid to you at maturity/);
      const quoted = (await quote.textContent()) ?? '';
      expect(quoted).toMatch(/Withholding tax/);
      // Nothing is opened before the customer confirms.
      expect((await customer.accounts.list()).data.some((a) => a.type === 'fixed_deposit')).toBe(false);
      await deposit.getByRole('button', { name: /^Deposit Ksh\s5,000\.00/ }).click();
      await expect
        .poll(() => deposit.locator('[part~="status"]').textContent(), { timeout: 15_000 })
        .toMatch(/Your fixed deposit is open\. It matures on/);
      const opened = (await customer.accounts.list()).data.filter((a) => a.type === 'fixed_deposit');
      expect(opened).toHaveLength(1);
      expect(opened[0]?.balance.ledger.toDecimalString()).toBe('5000.00');
      expect(quoted).toContain(
        (opened[0]?.maturityAmount?.toDecimalString() ?? 'x').replace(/\B(?=(\d{3})+(?!\d))/g, ','),
      );
      await expect.poll(() => deposit.locator('[part~="deposit"]').count(), { timeout: 15_000 }).toBe(1);
      await page.screenshot({ path: join(artifacts, `portal-save-${dialect}.png`), fullPage: true });

      // Statements: this month of the wallet as a PDF; PDF.js reads the deposit's line back.
      await page.getByRole('link', { name: 'Statements' }).click();
      const statement = page.locator('wk-statement');
      await statement.getByRole('button', { name: 'Show statement' }).click();
      await expect
        .poll(() => statement.locator('[part~="summary"]').textContent(), { timeout: 15_000 })
        .toMatch(/Closing balance/);
      expect(await statement.locator('[part~="row"]').count()).toBeGreaterThan(0);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        statement.getByRole('button', { name: 'Download PDF' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      const file = join(artifacts, `portal-statement-${dialect}.pdf`);
      await download.saveAs(file);
      const bytes = new Uint8Array(readFileSync(file));
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
      const text = await pdfText(bytes);
      const wallet = (await customer.accounts.list()).data.find((a) => a.type === 'wallet');
      expect(text).toContain(wallet?.id ?? 'no wallet');
      expect(text).toMatch(/Opening balance/i);
      expect(text).toMatch(/Closing balance/i);
      expect(text).toMatch(/5,000\.00|5000\.00/);
      await expect
        .poll(() => statement.locator('[part~="status"]').textContent(), { timeout: 15_000 })
        .toMatch(/\.pdf is ready/);

      // Send money: by phone number; the bank's masked name is shown before confirming, no account id.
      await page.getByRole('link', { name: 'Send money' }).click();
      const form = page.locator('wk-transfer-form');
      await form.getByLabel('Recipient’s phone number').fill(`0${payee.phone.slice(4)}`);
      await form.getByLabel('Amount (KES)').fill('750');
      await form.getByRole('button', { name: 'Review transfer' }).click();
      const recipient = form.locator('[part~="recipient"]');
      await expect.poll(() => recipient.textContent(), { timeout: 15_000 }).toMatch(/Wanjiru K\./);
      expect(await form.textContent()).not.toMatch(/acc_/);
      await form.getByRole('button', { name: /^Send Ksh/ }).click();
      await expect
        .poll(() => form.locator('[part~="status"]').textContent(), { timeout: 15_000 })
        .toMatch(/Sent Ksh\s750\.00 to Wanjiru K\./);
      await page.screenshot({ path: join(artifacts, `portal-send-${dialect}.png`), fullPage: true });

      // The bank agrees; the browser only ever talked to the portal.
      const payeeClient = new Wekeza({ baseUrl: bank.url, auth: { token: await tokenOf(payee.phone) } });
      const payeeWallet = await payeeClient.accounts.retrieve(payee.walletId);
      expect(payeeWallet.balance.ledger.equals(Money.of(75_000n, 'KES'))).toBe(true);
      expect(requests.every((url) => url.startsWith(portal.url))).toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    });

    async function tokenOf(phone: string): Promise<string> {
      const res = await fetch(`${bank.url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', username: phone, password: 'long-password-1' }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    }
  },
);
