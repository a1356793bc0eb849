/**
 * The Borrow widgets in real Chromium, in mock mode: credit limit, loan application (quote, apply,
 * decisions, accept), loan status (labels, schedule, chart) and repayment (partial, full, one
 * Idempotency-Key per intent), with axe (WCAG 2.1 AA) on each state.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { WkSuccessDetail } from '../src/core/events.ts';
import { MOCK_WALLET_ID, MockBank } from '../src/mock/index.ts';
import { MOCK_PRODUCTS, mockLoan } from '../src/mock/loans.ts';
import {
  WkCreditLimit,
  WkLoanApplication,
  WkLoanStatus,
  WkProvider,
  WkRepayment,
} from '../src/react/index.ts';
import {
  axeViolations,
  cleanup,
  maybePart,
  mounted,
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

async function typeAmount(widget: Element, text: string): Promise<void> {
  const input = part(part(widget, 'amount-input'), 'input') as HTMLInputElement;
  input.focus();
  await userEvent.clear(input);
  await userEvent.type(input, text);
  input.blur();
}

describe('<wk-credit-limit>', () => {
  it('when loaded, then shows the limit, score band and plain-language reasons with what to do (en and sw)', async () => {
    const { host, provider } = await mountInProvider('<wk-credit-limit></wk-credit-limit>');
    const widget = host.querySelector('wk-credit-limit')!;
    await waitForText(widget, /You can borrow up to/);
    expect(textOf(part(widget, 'limit'))).toMatch(/^Ksh\s30,000\.00$/);
    expect(textOf(part(widget, 'score'))).toBe('642 of 1000');
    expect(textOf(part(widget, 'band'))).toBe('Very good');
    const text = textOf(widget);
    expect(text).toContain('The money coming in changes a lot from month to month.');
    expect(text).toContain('Pay money in regularly');
    expect(text).not.toMatch(/inflowVolatility|best-scoring/);
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'credit-limit-ready');
    provider.locale = 'sw';
    await waitForText(widget, /Unaweza kukopa hadi/);
    expect(textOf(widget)).toContain('Pesa zinazoingia hubadilika sana');
  });

  it('when declined or on a thin file, then says so', async () => {
    const bank = new MockBank();
    bank.fixtures.borrow.creditLimit.decision = 'declined';
    const { host } = await mountInProvider('<wk-credit-limit></wk-credit-limit>', { bank });
    const widget = host.querySelector('wk-credit-limit')!;
    await waitForText(widget, /We cannot offer you a loan right now/);
    expect(textOf(part(widget, 'limit'))).toMatch(/Ksh\s0\.00/);
  });
});

describe('<wk-loan-application>', () => {
  it('when the customer types an amount, then a live quote shows the schedule, fee, net, cost and APR; apply → approved → accept disburses once', async () => {
    const bank = new MockBank();
    const walletBefore = bank.balanceOf(MOCK_WALLET_ID);
    const { host } = await mountInProvider('<wk-loan-application></wk-loan-application>', { bank });
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const widget = host.querySelector('wk-loan-application')!;
    await waitForText(widget, /Apply for a loan/);
    await expect.poll(() => maybePart(widget, 'product-select'), { timeout: 5000 }).not.toBeNull();
    await typeAmount(widget, '20000');
    await expect.poll(() => maybePart(widget, 'quote'), { timeout: 5000 }).not.toBeNull();
    const quote = textOf(part(widget, 'quote'));
    expect(quote).toMatch(/Processing fee\s*Ksh\s400\.00/);
    expect(quote).toMatch(/You receive\s*Ksh\s19,600\.00/);
    expect(quote).toMatch(/APR/);
    expect(widget.shadowRoot!.querySelectorAll('[part~="instalment"]').length).toBe(3);
    // The chart (uPlot, loaded lazily) draws beside the table.
    await expect.poll(() => part(widget, 'chart').querySelector('canvas'), { timeout: 5000 }).not.toBeNull();
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'loan-application-quote');

    part(widget, 'submit-button').click();
    await waitForText(widget, /Approved/);
    expect(successes.at(-1)?.kind).toBe('loan-application');
    expect(await axeViolations(widget)).toEqual([]);
    const accept = part(widget, 'accept-button');
    accept.click();
    accept.click();
    await waitForText(widget, /Ksh\s19,600\.00 was sent to your wallet/);
    expect(textOf(part(widget, 'loan-label'))).toBe('Loan status: Credited');
    const accepts = bank.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/accept'));
    expect(accepts.length).toBe(1);
    expect(successes.at(-1)?.kind).toBe('loan');
    expect(Number(bank.balanceOf(MOCK_WALLET_ID)) - Number(walletBefore)).toBeCloseTo(19600, 2);
    await shoot(widget, 'loan-application-disbursed');
  });

  it('when the amount is above the limit, then referred says what happens next; far above, declined with reasons', async () => {
    const { host } = await mountInProvider('<wk-loan-application></wk-loan-application>');
    const widget = host.querySelector('wk-loan-application')!;
    await expect.poll(() => maybePart(widget, 'product-select'), { timeout: 5000 }).not.toBeNull();
    const select = part(widget, 'product-select') as HTMLSelectElement;
    select.value = 'lprod_01HZBIASHARA';
    select.dispatchEvent(new Event('change'));
    await typeAmount(widget, '50000');
    part(widget, 'submit-button').click();
    await waitForText(widget, /Referred to a loan officer/);
    expect(textOf(widget)).toMatch(/within one working day/);
    expect(textOf(part(widget, 'reasons'))).toMatch(/changes a lot from month to month/);
    expect(await axeViolations(widget)).toEqual([]);
    part(widget, 'again-button').click();
    await expect.poll(() => maybePart(widget, 'amount-input'), { timeout: 5000 }).not.toBeNull();
    await typeAmount(widget, '150000');
    part(widget, 'submit-button').click();
    await waitForText(widget, /Not approved/);
    expect(maybePart(widget, 'accept-button')).toBeNull();
  });
});

describe('<wk-loan-status>', () => {
  it('when the customer has loans in every status, then each shows its label, next due, outstanding and DPD; the schedule opens with paid/due/overdue', async () => {
    const bank = new MockBank();
    const product = MOCK_PRODUCTS[1]!;
    bank.fixtures.borrow.loans.push(
      mockLoan({
        id: 'loan_01HZARREARS',
        loanNumber: '48213370001',
        status: 'in_arrears',
        product,
        principalMinor: 600_000n,
        termMonths: 6,
        disbursed: '2024-11-10',
        paidInstalments: 1,
        penaltiesMinor: 1_250n,
      }),
      mockLoan({
        id: 'loan_01HZCLOSED',
        loanNumber: '48213370002',
        status: 'closed',
        product,
        principalMinor: 300_000n,
        termMonths: 3,
        disbursed: '2024-06-01',
        paidInstalments: 3,
        closedOn: '2024-09-01',
      }),
    );
    const { host } = await mountInProvider('<wk-loan-status></wk-loan-status>', { bank });
    const widget = host.querySelector('wk-loan-status')!;
    await waitForText(widget, /Loan 48213370925/);
    const labels = [...widget.shadowRoot!.querySelectorAll('[part~="label"]')].map((e) =>
      e.textContent?.trim(),
    );
    expect(labels).toEqual(['Closed', 'In arrears', 'Credited']);
    const arrears = widget.shadowRoot!.querySelector('[data-loan="loan_01HZARREARS"]')!;
    expect(textOf(arrears)).toMatch(/Days past due\s*\d+/);
    expect(textOf(arrears)).toMatch(/Penalties\s*Ksh\s12\.50/);
    (arrears.querySelector('[part~="schedule-toggle"]') as HTMLElement).click();
    await expect
      .poll(() => arrears.querySelectorAll('[part~="overdue"]').length, { timeout: 5000 })
      .toBeGreaterThan(0);
    expect(arrears.querySelectorAll('[part~="paid"]').length).toBe(1);
    await expect.poll(() => arrears.querySelector('canvas'), { timeout: 5000 }).not.toBeNull();
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'loan-status');
  });
});

describe('<wk-repayment>', () => {
  it('when paying part and then the payoff, then the loan closes; a double click pays once', async () => {
    const bank = new MockBank();
    const { host } = await mountInProvider('<wk-repayment></wk-repayment><wk-loan-status></wk-loan-status>', {
      bank,
    });
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const widget = host.querySelector('wk-repayment')!;
    await expect
      .poll(() => maybePart(widget, 'payoff') && textOf(part(widget, 'payoff')))
      .toMatch(/To close the loan today/);
    await typeAmount(widget, '1000');
    part(widget, 'review-button').click();
    await expect.poll(() => maybePart(widget, 'confirm-button'), { timeout: 5000 }).not.toBeNull();
    expect(await axeViolations(widget)).toEqual([]);
    const confirm = part(widget, 'confirm-button');
    confirm.click();
    confirm.click();
    await waitForText(widget, /Paid Ksh\s1,000\.00\./);
    expect(bank.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/repayments')).length).toBe(1);
    expect(successes.at(-1)?.kind).toBe('repayment');

    part(widget, 'another-button').click();
    await expect.poll(() => maybePart(widget, 'kind-select'), { timeout: 5000 }).not.toBeNull();
    const kind = part(widget, 'kind-select') as HTMLSelectElement;
    await expect
      .poll(() => (kind.querySelector('option[value="full"]') as HTMLOptionElement).disabled, {
        timeout: 5000,
      })
      .toBe(false);
    kind.value = 'full';
    kind.dispatchEvent(new Event('change'));
    part(widget, 'review-button').click();
    await expect.poll(() => maybePart(widget, 'confirm-button'), { timeout: 5000 }).not.toBeNull();
    part(widget, 'confirm-button').click();
    await waitForText(widget, /The loan is closed/);
    const status = host.querySelector('wk-loan-status')!;
    await expect.poll(() => textOf(status), { timeout: 5000 }).toMatch(/Closed/);
    await shoot(widget, 'repayment-closed');
  });

  it('when there is no loan, then says so', async () => {
    const bank = new MockBank();
    bank.fixtures.borrow.loans.length = 0;
    const { host } = await mountInProvider('<wk-repayment></wk-repayment>', { bank });
    const widget = host.querySelector('wk-repayment')!;
    await waitForText(widget, /You have no loan to repay/);
  });
});

describe('React wrappers of the borrow widgets', () => {
  it('renders them with react-dom and maps wk-ready to onWkReady', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    mounted.push(container);
    const ready: string[] = [];
    const onWkReady = (event: CustomEvent<{ widget: string }>) => ready.push(event.detail.widget);
    const root = createRoot(container);
    root.render(
      createElement(
        WkProvider,
        { mode: 'mock', locale: 'sw' },
        createElement(WkCreditLimit, { onWkReady }),
        createElement(WkLoanApplication, { onWkReady }),
        createElement(WkLoanStatus, { onWkReady }),
        createElement(WkRepayment, { onWkReady }),
      ),
    );
    await expect
      .poll(() => [...ready].sort(), { timeout: 5000 })
      .toEqual(['wk-credit-limit', 'wk-loan-application', 'wk-loan-status', 'wk-repayment']);
    await waitForText(container.querySelector('wk-loan-status')!, /Imewekwa kwenye pochi/);
    root.unmount();
  });
});
