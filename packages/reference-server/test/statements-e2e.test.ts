/**
 * End to end over HTTP: a customer opens a savings account and a fixed deposit, the sandbox clock
 * runs past month ends and past the deposit's maturity, and every account's statement is downloaded
 * in all four formats and read back the way its consumer would: the JSON's figures against the
 * ledger, the CSV with a CSV parser, the PDF's text through PDF.js, and the camt.053 validated
 * against the message's (subset) XSD with libxml2 and read by an independent camt.053 parser.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { CashManagementEndOfDayReport } from 'iso20022.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';
import { pdfText } from './support/pdf-text.ts';

const xsd = readFile(new URL('../src/modules/statements/camt053.subset.xsd', import.meta.url), 'utf8');

type Money = { amount: string; currency: string };
interface StatementJson {
  account_id: string;
  currency: string;
  from: string;
  to: string;
  opening_balance: Money;
  closing_balance: Money;
  lines: { date: string; description: string; amount: Money; balance: Money; entry_id: string }[];
}

const kes = (amount: string): Money => ({ amount, currency: 'KES' });
const cents = (amount: string) => BigInt(amount.replace('.', ''));
/** 1234567.5 → "1,234,567.50", as the PDF shows amounts. */
const grouped = (amount: string) => {
  const [whole, fraction] = amount.replace('-', '').split('.');
  return `${(whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
};

describe.each(testDialects())('statements end to end on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let customer: Awaited<ReturnType<typeof newCustomer>>;
  let savingsId: string;
  let depositId: string;

  beforeAll(async () => {
    const clock = new TestClock();
    clock.offsetMs = Date.parse('2025-03-10T07:00:00Z') - Date.now();
    bank = await startTestBank(dialect, {}, { clock });
    admin = await login(bank, 'admin@sandbox.test');
    customer = await newCustomer(bank, { nationalId: 'E2E-1' });
    await fund(admin, customer.walletId, '80000.00');
    const savings = await customer.http.post<{ id: string }>('/v1/accounts', {
      type: 'savings',
      currency: 'KES',
      amount: kes('50000.00'),
    });
    const deposit = await customer.http.post<{ id: string }>('/v1/accounts', {
      type: 'fixed_deposit',
      currency: 'KES',
      product_id: 'sprod_sandbox_fd_3m',
      term_months: 3,
      amount: kes('10000.00'),
    });
    expect([savings.status, deposit.status]).toEqual([201, 201]);
    savingsId = savings.body.id;
    depositId = deposit.body.id;
    // Past three month ends (31 March, 30 April, 31 May) and the deposit's maturity (10 June).
    const moved = await admin.post<{ bank_date: string }>('/v1/sandbox/clock/advance', { days: 95 });
    expect(moved.body.bank_date).toBe('2025-06-13');
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
  });

  const period = 'from=2025-03-01&to=2025-06-12';

  async function download(accountId: string, format: string) {
    const res = await customer.http.fetch(`/v1/accounts/${accountId}/statement?${period}&format=${format}`);
    expect(res.status).toBe(200);
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function json(accountId: string): Promise<StatementJson> {
    const { res, bytes } = await download(accountId, 'json');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return JSON.parse(bytes.toString('utf8')) as StatementJson;
  }

  it('when the savings statement is read as JSON, then it shows the deposit and three months of interest and tax, and adds up to the ledger', async () => {
    const statement = await json(savingsId);
    expect(statement).toMatchObject({
      account_id: savingsId,
      currency: 'KES',
      from: '2025-03-01',
      to: '2025-06-12',
      opening_balance: kes('0.00'),
    });
    const account = await customer.http.get<{ balance: { ledger: Money } }>(`/v1/accounts/${savingsId}`);
    expect(statement.closing_balance).toEqual(account.body.balance.ledger);
    const interest = statement.lines.filter((l) => l.description.startsWith('Interest'));
    const tax = statement.lines.filter((l) => l.description.startsWith('Withholding tax'));
    expect(interest.map((l) => l.date)).toEqual(['2025-03-31', '2025-04-30', '2025-05-31']);
    expect(tax.map((l) => l.date)).toEqual(['2025-03-31', '2025-04-30', '2025-05-31']);
    // 22 days of 50,000.00 at 8 % = 241.10 gross; 15 % tax = 36.165 → 36.16 (half-even).
    expect([interest[0]?.amount, tax[0]?.amount]).toEqual([kes('241.10'), kes('-36.16')]);
    let running = cents(statement.opening_balance.amount);
    for (const line of statement.lines) {
      running += cents(line.amount.amount);
      expect(cents(line.balance.amount)).toBe(running);
    }
    expect(running).toBe(cents(statement.closing_balance.amount));
  });

  it('when the statements are downloaded as CSV, then a CSV parser reads every line of the JSON with the same figures', async () => {
    for (const accountId of [savingsId, depositId, customer.walletId]) {
      const expected = await json(accountId);
      const { res, bytes } = await download(accountId, 'csv');
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="statement-${accountId}-2025-03-01-2025-06-12.csv"`,
      );
      const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.date, r.amount, r.balance, r.currency, r.entry_id])).toEqual(
        expected.lines.map((l) => [l.date, l.amount.amount, l.balance.amount, 'KES', l.entry_id]),
      );
      expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
    }
  });

  it('when the statements are downloaded as PDF, then a PDF reader extracts the account, period, every line, the closing balance and "Page 1 of 1"', async () => {
    for (const accountId of [savingsId, depositId, customer.walletId]) {
      const expected = await json(accountId);
      const { res, bytes } = await download(accountId, 'pdf');
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain(
        `statement-${accountId}-2025-03-01-2025-06-12.pdf`,
      );
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const { pages } = await pdfText(bytes);
      const text = pages.flat();
      expect(text[0]).toBe('Wekeza Sandbox Bank');
      expect(text).toContain(
        `Customer | ${(await customer.http.get<{ full_name: string }>('/v1/me')).body.full_name}`,
      );
      expect(text.find((r) => r.startsWith('Account |'))).toContain(accountId);
      expect(text).toContain('Period | 2025-03-01 to 2025-06-12');
      expect(text).toContain(`Closing balance | KES ${grouped(expected.closing_balance.amount)}`);
      for (const line of expected.lines) {
        expect(
          text.some(
            (row) =>
              row.startsWith(`${line.date} |`) &&
              row.includes(grouped(line.amount.amount)) &&
              row.endsWith(grouped(line.balance.amount)),
          ),
          `${line.date} ${line.amount.amount}`,
        ).toBe(true);
      }
      expect(pages.at(-1)?.at(-1)).toMatch(/\| Page 1 of 1$/);
    }
  });

  it('when the statements are downloaded as camt.053, then they validate against the XSD and an independent parser reads the same balances and entries', async () => {
    const types: Record<string, string> = {
      [savingsId]: '<Cd>SVGS</Cd>',
      [depositId]: '<Prtry>FIXED_DEPOSIT</Prtry>',
      [customer.walletId]: '<Cd>CACC</Cd>',
    };
    for (const accountId of [savingsId, depositId, customer.walletId]) {
      const expected = await json(accountId);
      const { res, bytes } = await download(accountId, 'camt053');
      expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain('.camt053.xml');
      const xml = bytes.toString('utf8');
      const result = await validateXML({
        xml: { fileName: 'statement.xml', contents: xml },
        schema: { fileName: 'camt053.subset.xsd', contents: await xsd },
        initialMemoryPages: 1024,
        maxMemoryPages: 16384,
      });
      expect(result.errors).toEqual([]);
      expect(xml).toContain(types[accountId]);
      const report = CashManagementEndOfDayReport.fromXML(xml);
      const [statement] = report.statements;
      expect(statement?.balances.map((b) => [b.type, BigInt(Math.round(b.amount))])).toEqual([
        ['OPBD', cents(expected.opening_balance.amount)],
        ['CLBD', cents(expected.closing_balance.amount)],
      ]);
      expect(
        report.entries.map((e) => [
          e.referenceId,
          (e.creditDebitIndicator === 'debit' ? -1n : 1n) * BigInt(Math.round(e.amount)),
          e.bookingDate.toISOString().slice(0, 10),
        ]),
      ).toEqual(expected.lines.map((l) => [l.entry_id, cents(l.amount.amount), l.date]));
    }
  });

  it('when the deposit has matured, then its statement runs from the funding to the payout, closing at zero, and the wallet shows the payout', async () => {
    const statement = await json(depositId);
    expect(statement.lines.map((l) => [l.date, l.description.split(/[,:]/)[0]])).toEqual([
      ['2025-03-10', `Fixed deposit ${depositId} opened`],
      ['2025-06-10', 'Interest on fixed deposit'],
      ['2025-06-10', 'Withholding tax 15% on interest'],
      ['2025-06-10', `Fixed deposit ${depositId} matured`],
    ]);
    expect(statement.closing_balance).toEqual(kes('0.00'));
    const wallet = await json(customer.walletId);
    const payout = wallet.lines.find((l) => l.entry_id === statement.lines[3]?.entry_id);
    expect(payout?.amount.amount).toBe(statement.lines[3]?.amount.amount.replace('-', ''));
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });
});
