import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { WkErrorDetail, WkSuccessDetail } from '../src/core/events.ts';
import { MOCK_SAVINGS_ID, MOCK_WALLET_ID, MockBank } from '../src/mock/index.ts';
import {
  axeViolations,
  cleanup,
  deepActiveElement,
  mountInProvider,
  part,
  shoot,
  textOf,
  waitForText,
} from './helpers.ts';

afterEach(cleanup);

function collect<T>(target: EventTarget, type: string): T[] {
  const details: T[] = [];
  target.addEventListener(type, (event) => details.push((event as CustomEvent<T>).detail));
  return details;
}

async function typeAmount(widget: Element, text: string) {
  const input = part(widget, 'amount-input').shadowRoot!.querySelector('input')!;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await (widget as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
}

describe('<wk-savings> in mock mode', () => {
  it('shows the balance, the rate, interest earned (gross, tax, net) and growth month by month', async () => {
    const { host } = await mountInProvider('<wk-savings></wk-savings>');
    const savings = host.querySelector('wk-savings')!;
    await waitForText(savings, /Interest earned/);
    expect(textOf(part(savings, 'balance'))).toMatch(/Ksh\s125,000\.00/);
    expect(textOf(part(savings, 'rate'))).toMatch(/6%\sa year/);
    const interest = textOf(part(savings, 'interest'));
    expect(interest).toMatch(/Gross interest paid Ksh\s1,000\.00/);
    expect(interest).toMatch(/Net interest Ksh\s1,000\.00/);
    const rows = part(savings, 'growth-table').querySelectorAll('tbody tr');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // The chart is drawn by the lazily loaded chunk, hidden from screen readers (the table has the figures).
    await expect
      .poll(() => part(savings, 'chart').querySelector('canvas') !== null, { timeout: 5000 })
      .toBe(true);
    expect(part(savings, 'chart').getAttribute('aria-hidden')).toBe('true');
    expect(await axeViolations(savings)).toEqual([]);
    await shoot(savings, 'wk-savings');
  });

  it('withdraws to the wallet once per intent, and explains a refusal', async () => {
    const bank = new MockBank({ latencyMs: 50 });
    const { host } = await mountInProvider('<wk-savings></wk-savings>', { bank });
    const savings = host.querySelector('wk-savings')!;
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const errors = collect<WkErrorDetail>(host, 'wk-error');
    await waitForText(savings, /Interest earned/);
    part(savings, 'move-withdraw').click();
    await typeAmount(savings, '1000');
    part(savings, 'review-button').click();
    await waitForText(savings, /Withdraw Ksh\s1,000\.00/);
    await userEvent.dblClick(part(savings, 'confirm-button'));
    await waitForText(savings, /Moved Ksh\s1,000\.00 to your wallet/);
    const posts = bank.requests.filter((r) => r.path.endsWith('/withdrawals-to-wallet'));
    expect(posts).toHaveLength(1);
    expect(bank.balanceOf(MOCK_SAVINGS_ID)).toBe('124000.00');
    expect(successes[0]).toMatchObject({ kind: 'savings-moved', direction: 'withdraw' });
    part(savings, 'move-withdraw').click();
    await typeAmount(savings, '999999');
    part(savings, 'review-button').click();
    await waitForText(savings, /Withdraw Ksh\s999,999\.00/);
    part(savings, 'confirm-button').click();
    await waitForText(savings, /not enough available balance/);
    expect(errors.at(-1)?.code).toBe('insufficient_funds');
  });

  it('opens a savings account funded from the wallet when there is none', async () => {
    const bank = new MockBank();
    bank.fixtures.accounts = bank.fixtures.accounts.filter((a) => a.type !== 'savings');
    const { host } = await mountInProvider('<wk-savings></wk-savings>', { bank });
    const savings = host.querySelector('wk-savings')!;
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    await waitForText(savings, /You have no savings account yet/);
    expect(await axeViolations(savings)).toEqual([]);
    await typeAmount(savings, '2,500');
    part(savings, 'review-button').click();
    await waitForText(savings, /Open with Ksh\s2,500\.00/);
    part(savings, 'confirm-button').click();
    await waitForText(savings, /Your savings account is open/);
    expect(successes[0]?.kind).toBe('savings-opened');
    await waitForText(savings, /Interest earned/);
    expect(bank.balanceOf(MOCK_WALLET_ID)).toBe('44080.00');
  });
});

describe('<wk-fixed-deposit> in mock mode', () => {
  it('shows the deposit quote (maturity date and amount, interest, tax) before opening, then opens once', async () => {
    const bank = new MockBank();
    const { host } = await mountInProvider('<wk-fixed-deposit></wk-fixed-deposit>', { bank });
    const deposit = host.querySelector('wk-fixed-deposit')!;
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    await waitForText(deposit, /Open a fixed deposit/);
    const term = part<HTMLSelectElement>(deposit, 'term-select');
    term.value = '12';
    term.dispatchEvent(new Event('change'));
    await typeAmount(deposit, '10000');
    part(deposit, 'review-button').click();
    await waitForText(deposit, /Paid to you at maturity/);
    const quote = textOf(part(deposit, 'quote'));
    // 10,000 at 10 % for 365 days: 1,000.00 gross, 150.00 tax, 10,850.00 at maturity, on 30 Apr 2026.
    expect(quote).toMatch(/Interest \(gross\) Ksh\s1,000\.00/);
    expect(quote).toMatch(/Withholding tax -Ksh\s150\.00/);
    expect(quote).toMatch(/Paid to you at maturity Ksh\s10,850\.00/);
    expect(bank.requests.some((r) => r.path === '/v1/accounts' && r.method === 'POST')).toBe(false);
    expect(await axeViolations(deposit)).toEqual([]);
    await shoot(deposit, 'wk-fixed-deposit-quote');
    await userEvent.dblClick(part(deposit, 'confirm-button'));
    await waitForText(deposit, /Your fixed deposit is open/);
    expect(bank.requests.filter((r) => r.path === '/v1/accounts' && r.method === 'POST')).toHaveLength(1);
    expect(successes[0]?.kind).toBe('fixed-deposit-opened');
    await waitForText(deposit, /Close early/);
  });

  it('an early close shows the interest given up before confirming, and keeping it changes nothing', async () => {
    const bank = new MockBank();
    bank.save.seedFixedDeposit({ principalMinor: 5_000_000n, termMonths: 12, daysAgo: 73 });
    const { host } = await mountInProvider('<wk-fixed-deposit></wk-fixed-deposit>', { bank });
    const deposit = host.querySelector('wk-fixed-deposit')!;
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    await waitForText(deposit, /Close early/);
    part(deposit, 'close-button').click();
    await waitForText(deposit, /Interest you give up/);
    // 50,000 at 10 % for 73 days: 1,000.00 accrued; half forfeited; 75.00 tax on the 500.00 kept.
    const quote = textOf(part(deposit, 'quote'));
    expect(quote).toMatch(/Interest you give up -Ksh\s500\.00/);
    expect(quote).toMatch(/Paid to your wallet Ksh\s50,425\.00/);
    expect(await axeViolations(deposit)).toEqual([]);
    part(deposit, 'edit-button').click();
    await waitForText(deposit, /Close early/);
    expect(bank.requests.some((r) => r.path.endsWith('/close'))).toBe(false);
    part(deposit, 'close-button').click();
    await waitForText(deposit, /Close and receive Ksh\s50,425\.00/);
    part(deposit, 'confirm-button').click();
    await waitForText(deposit, /Closed\. Ksh\s50,425\.00 is in your wallet/);
    expect(successes[0]).toMatchObject({ kind: 'fixed-deposit-closed' });
    expect(deepActiveElement()?.getAttribute('part')).toBe('heading');
  });
});

describe('<wk-statement> in mock mode', () => {
  it('shows the period with running balances, and downloads CSV and PDF through the SDK', async () => {
    const bank = new MockBank();
    const { host } = await mountInProvider(
      '<wk-statement from="2025-01-01" to="2025-04-30"></wk-statement>',
      {
        bank,
      },
    );
    const statement = host.querySelector('wk-statement')!;
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    await waitForText(statement, /Show statement/);
    part(statement, 'show-button').click();
    await waitForText(statement, /Closing balance/);
    const rows = [...part(statement, 'table').querySelectorAll('tbody tr')];
    expect(rows).toHaveLength(24);
    expect(textOf(rows[0]!)).toMatch(/M-Pesa deposit \+Ksh\s25,000\.00 Ksh\s25,000\.00/);
    expect(textOf(part(statement, 'summary'))).toMatch(/Closing balance Ksh\s46,580\.00/);
    expect(await axeViolations(statement)).toEqual([]);
    await shoot(statement, 'wk-statement');
    part(statement, 'pdf-button').click();
    await waitForText(statement, /\.pdf is ready/);
    part(statement, 'csv-button').click();
    await waitForText(statement, /\.csv is ready/);
    expect(successes.map((s) => s.kind === 'statement-downloaded' && s.format)).toEqual(['pdf', 'csv']);
    const formats = bank.requests.filter((r) => r.path.endsWith('/statement')).length;
    expect(formats).toBe(3);
  });

  it('refuses a period that ends before it starts, without asking the bank', async () => {
    const bank = new MockBank();
    const { host } = await mountInProvider(
      '<wk-statement from="2025-04-30" to="2025-01-01"></wk-statement>',
      {
        bank,
      },
    );
    const statement = host.querySelector('wk-statement')!;
    await waitForText(statement, /Show statement/);
    part(statement, 'show-button').click();
    await waitForText(statement, /The start must be on or before the end/);
    expect(bank.requests.some((r) => r.path.endsWith('/statement'))).toBe(false);
  });
});

describe('Save widgets: dark and Swahili', () => {
  for (const dark of [false, true]) {
    it(`every Save widget in Swahili, ${dark ? 'dark' : 'light'}, has no axe violations`, async () => {
      const bank = new MockBank();
      bank.save.seedFixedDeposit({ principalMinor: 5_000_000n, termMonths: 6, daysAgo: 30 });
      const { provider, host } = await mountInProvider(
        '<wk-savings></wk-savings><wk-fixed-deposit></wk-fixed-deposit><wk-statement></wk-statement><wk-transfer-form pay-by-phone></wk-transfer-form>',
        { bank, locale: 'sw', dark },
      );
      const [savings, deposit, statement, transfer] = [...provider.children];
      await waitForText(savings!, /Riba uliyopata/);
      await waitForText(deposit!, /Funga mapema/);
      await waitForText(statement!, /Onyesha taarifa/);
      await waitForText(transfer!, /Nambari ya simu ya mpokeaji/);
      for (const widget of [savings!, deposit!, statement!, transfer!])
        expect(await axeViolations(widget)).toEqual([]);
      await shoot(host, `save-widgets-sw-${dark ? 'dark' : 'light'}`);
    });
  }
});
