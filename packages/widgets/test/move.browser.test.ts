/**
 * `<wk-deposit>` and `<wk-withdraw>` in Chromium against mock mode's bank, whose rails settle
 * asynchronously like the sandbox simulator and whose event stream is real Server-Sent Events.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { WkDeposit } from '../src/components/deposit/deposit.ts';
import type { WkWithdraw } from '../src/components/withdraw/withdraw.ts';
import type { WkStatusDetail, WkStepUpRequiredDetail, WkSuccessDetail } from '../src/core/events.ts';
import { MOCK_WALLET_ID, MockBank } from '../src/mock/index.ts';
import {
  WkDeposit as ReactDeposit,
  WkProvider as ReactProvider,
  WkWithdraw as ReactWithdraw,
} from '../src/react/index.ts';
import {
  axeViolations,
  cleanup,
  deepActiveElement,
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

function type(element: Element, partName: string, value: string): void {
  const input = part<HTMLInputElement>(element, partName);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

function typeAmount(element: Element, value: string): void {
  const input = part(element, 'amount-input').shadowRoot!.querySelector('input')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

async function mount(
  tag: 'wk-deposit' | 'wk-withdraw',
  bank: MockBank,
  options: { locale?: 'en' | 'sw'; dark?: boolean } = {},
) {
  const mounted = await mountInProvider(`<${tag}></${tag}><wk-wallet-balance></wk-wallet-balance>`, {
    bank,
    ...options,
  });
  const widget = mounted.host.querySelector(tag) as WkDeposit | WkWithdraw;
  const balance = mounted.host.querySelector('wk-wallet-balance')!;
  await expect.poll(() => maybePart(widget, 'submit-button'), { timeout: 5000 }).not.toBeNull();
  await expect.poll(() => maybePart(balance, 'available'), { timeout: 5000 }).not.toBeNull();
  return { ...mounted, widget, balance };
}

const available = (balance: Element) => part(balance, 'available').textContent ?? '';

describe('<wk-deposit>', () => {
  it('when the customer tops up, then it says check your phone, then the money arrives and the balance grows live', async () => {
    const bank = new MockBank({ railDelayMs: 400 });
    const { widget, balance, host } = await mount('wk-deposit', bank);
    const statuses = collect<WkStatusDetail>(host, 'wk-status');
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const before = available(balance);
    type(widget, 'phone-input', '0712 345 678');
    typeAmount(widget, '1500');
    part(widget, 'submit-button').click();
    part(widget, 'submit-button').click();
    await waitForText(widget, /Check your phone: enter your M-Pesa PIN to pay Ksh\s1,500\.00/);
    expect(part(widget, 'live-status').dataset.status).toBe('pending');
    await waitForText(widget, /Ksh\s1,500\.00 added to your wallet\. M-Pesa receipt TK/);
    expect(part(widget, 'live-status').dataset.status).toBe('succeeded');
    // One request for the double click, with an Idempotency-Key.
    const posts = bank.requests.filter((r) => r.method === 'POST' && r.path === '/v1/deposits');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[0]?.body).toMatchObject({
      phone: '0712345678',
      rail: 'mpesa',
      amount: { amount: '1500.00' },
    });
    // Learnt from the stream, not by polling; the balance grew without a reload.
    expect(statuses.map((s) => [s.status, s.via])).toEqual([
      ['pending', 'request'],
      ['succeeded', 'stream'],
    ]);
    expect(successes[0]?.kind).toBe('deposit');
    await expect.poll(() => available(balance)).not.toBe(before);
    // One read when the watch joined the already-open stream, one when the event named the deposit.
    expect(bank.requests.filter((r) => r.path.startsWith('/v1/deposits/')).length).toBeLessThanOrEqual(2);
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'deposit-succeeded');
  });

  it('when the payer cancels on the phone (…1032), then it shows failed, cancelled, and Try again keeps the details', async () => {
    const bank = new MockBank({ railDelayMs: 200 });
    const { widget } = await mount('wk-deposit', bank);
    type(widget, 'phone-input', '+254700001032');
    typeAmount(widget, '200');
    part(widget, 'submit-button').click();
    await waitForText(widget, /did not go through\. The request was cancelled on the phone\./);
    expect(part(widget, 'live-status').dataset.status).toBe('failed');
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'deposit-cancelled');
    const firstKey = bank.requests.find((r) => r.path === '/v1/deposits')?.headers['idempotency-key'];
    part(widget, 'again-button').click();
    await expect.poll(() => part<HTMLInputElement>(widget, 'phone-input').value).toBe('+254700001032');
    part(widget, 'submit-button').click();
    await expect.poll(() => bank.requests.filter((r) => r.path === '/v1/deposits').length).toBe(2);
    const secondKey = bank.requests.filter((r) => r.path === '/v1/deposits')[1]?.headers['idempotency-key'];
    expect(secondKey).not.toBe(firstKey);
  });

  it('when the amount has cents or the phone is not Kenyan, then nothing is sent and the fields say why', async () => {
    const bank = new MockBank();
    const { widget } = await mount('wk-deposit', bank);
    type(widget, 'phone-input', '12345');
    typeAmount(widget, '100.50');
    part(widget, 'submit-button').click();
    await waitForText(widget, /whole shillings only/);
    expect(textOf(widget)).toMatch(/Enter a Kenyan mobile number/);
    expect(deepActiveElement()?.id).toBe('phone');
    expect(bank.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('when the server refuses cents (422), then the amount field shows the whole-shillings rule', async () => {
    const bank = new MockBank();
    bank.fail({
      method: 'POST',
      path: /^\/v1\/deposits$/,
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'amount.amount', message: 'M-Pesa moves whole shillings only' }],
      times: 1,
    });
    const { widget } = await mount('wk-deposit', bank);
    type(widget, 'phone-input', '0712345678');
    typeAmount(widget, '100');
    part(widget, 'submit-button').click();
    await waitForText(widget, /Please check the highlighted fields/);
    expect(
      part(widget, 'amount-input').getAttribute('error') ??
        (part(widget, 'amount-input') as unknown as { error: string }).error,
    ).toMatch(/whole shillings/);
  });

  it('when the wallet cannot be looked up (network), then the form says so and nothing is sent', async () => {
    const bank = new MockBank();
    const { widget } = await mount('wk-deposit', bank);
    bank.fail({ method: 'GET', path: /^\/v1\/accounts$/, network: true, times: 1 });
    type(widget, 'phone-input', '0712345678');
    typeAmount(widget, '100');
    part(widget, 'submit-button').click();
    await waitForText(widget, /We could not reach the bank/);
    expect(bank.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('when the event stream is refused, then it follows the deposit by polling GET /v1/deposits/{id}', async () => {
    const bank = new MockBank({ railDelayMs: 300 });
    bank.fail({ path: /^\/v1\/events\/stream$/, status: 403, code: 'forbidden' });
    const { widget, host } = await mount('wk-deposit', bank);
    const statuses = collect<WkStatusDetail>(host, 'wk-status');
    type(widget, 'phone-input', '0712345678');
    typeAmount(widget, '50');
    part(widget, 'submit-button').click();
    await waitForText(widget, /added to your wallet/);
    expect(statuses.at(-1)).toMatchObject({ status: 'succeeded', via: 'poll' });
  });

  it('when the widgets leave the page, then the shared stream is closed', async () => {
    const bank = new MockBank();
    const { host } = await mount('wk-deposit', bank);
    await expect.poll(() => bank.rails.openStreams).toBe(1);
    host.remove();
    await expect.poll(() => bank.rails.openStreams).toBe(0);
  });

  it('in Swahili and dark, then it speaks Swahili and axe finds nothing', async () => {
    const { widget } = await mount('wk-deposit', new MockBank(), { locale: 'sw', dark: true });
    await waitForText(widget, /Weka pesa kutoka M-Pesa/);
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'deposit-sw-dark');
  });
});

describe('<wk-withdraw>', () => {
  it('when the customer withdraws to M-Pesa, then the amount is held, then sent, and the balance follows live', async () => {
    const bank = new MockBank({ railDelayMs: 400 });
    const { widget, balance } = await mount('wk-withdraw', bank);
    const before = available(balance);
    type(widget, 'phone-input', '0722000111');
    typeAmount(widget, '1000');
    await waitForText(widget, /Withdraw Ksh\s1,000\.00/);
    part(widget, 'submit-button').click();
    await waitForText(widget, /Ksh\s1,000\.00 is held from your wallet until the payment is confirmed/);
    await waitForText(widget, /Ksh\s1,000\.00 sent to 254722000111\. Receipt TK/);
    await expect.poll(() => available(balance)).not.toBe(before);
    expect(bank.balanceOf(MOCK_WALLET_ID)).toBeDefined();
    expect(await axeViolations(widget)).toEqual([]);
    await shoot(widget, 'withdraw-succeeded');
  });

  it('when the bank wants step-up, then the widget asks for the code and sends it with a fresh key', async () => {
    const bank = new MockBank({ railDelayMs: 200 });
    const wallet = bank.fixtures.accounts.find((a) => a.id === MOCK_WALLET_ID)!;
    wallet.ledgerMinor = 50_000_000n;
    const { widget, host } = await mount('wk-withdraw', bank);
    const stepUps = collect<WkStepUpRequiredDetail>(host, 'wk-step-up-required');
    type(widget, 'phone-input', '0722000111');
    typeAmount(widget, '150000');
    part(widget, 'submit-button').click();
    await waitForText(widget, /Confirm it is you/);
    expect(stepUps[0]?.problem.code).toBe('mfa_required');
    expect(deepActiveElement()?.id).toBe('otp');
    expect(await axeViolations(widget)).toEqual([]);
    type(widget, 'otp-input', '000000');
    part(widget, 'verify-button').click();
    await waitForText(widget, /Extra verification is needed/);
    type(widget, 'otp-input', '123456');
    part(widget, 'verify-button').click();
    await waitForText(widget, /is held from your wallet/);
    const posts = bank.requests.filter((r) => r.path === '/v1/withdrawals');
    expect(posts).toHaveLength(3);
    expect(posts[2]?.body).toMatchObject({ otp: '123456' });
    expect(new Set(posts.map((p) => p.headers['idempotency-key'])).size).toBe(3);
    await waitForText(widget, /sent to 254722000111/);
  });

  it('when a host answers wk-step-up-required with retry(otp), then the withdrawal goes through', async () => {
    const bank = new MockBank({ railDelayMs: 100 });
    bank.fixtures.accounts.find((a) => a.id === MOCK_WALLET_ID)!.ledgerMinor = 50_000_000n;
    const { widget, host } = await mount('wk-withdraw', bank);
    host.addEventListener('wk-step-up-required', (event) => void event.detail.retry('123456'));
    type(widget, 'phone-input', '0722000111');
    typeAmount(widget, '120000');
    part(widget, 'submit-button').click();
    await waitForText(widget, /sent to 254722000111/);
  });

  it('when the customer withdraws to a bank account over RTGS, then it validates and sends the destination', async () => {
    const bank = new MockBank({ railDelayMs: 200 });
    const { widget } = await mount('wk-withdraw', bank);
    const rail = part<HTMLSelectElement>(widget, 'rail-select');
    rail.value = 'rtgs';
    rail.dispatchEvent(new Event('change'));
    await expect.poll(() => maybePart(widget, 'bank-code-input')).not.toBeNull();
    typeAmount(widget, '2500.50');
    part(widget, 'submit-button').click();
    await waitForText(widget, /Enter the bank code/);
    expect(textOf(widget)).toMatch(/Enter the name on the account/);
    type(widget, 'bank-code-input', 'kcblkenx');
    type(widget, 'account-number-input', '1100223344');
    type(widget, 'account-name-input', 'Amina Odhiambo');
    part(widget, 'submit-button').click();
    await waitForText(widget, /sent to Amina Odhiambo \(1100223344\)/);
    expect(bank.requests.find((r) => r.path === '/v1/withdrawals')?.body).toMatchObject({
      rail: 'rtgs',
      amount: { amount: '2500.50', currency: 'KES' },
      destination: { bank_code: 'KCBLKENX', account_number: '1100223344', account_name: 'Amina Odhiambo' },
    });
  });

  it('when the payout fails, then it says so and that the held money is back', async () => {
    const bank = new MockBank({ railDelayMs: 200 });
    const { widget } = await mount('wk-withdraw', bank, { locale: 'sw' });
    type(widget, 'phone-input', '0700001032');
    typeAmount(widget, '100');
    part(widget, 'submit-button').click();
    await waitForText(widget, /Pesa zilizozuiliwa zimerudi kwenye pochi yako/);
    expect(await axeViolations(widget)).toEqual([]);
  });
});

describe('React wrapper', () => {
  it('renders <WkDeposit> and <WkWithdraw> and maps wk-status and wk-success to onWkStatus and onWkSuccess', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    mounted.push(container);
    const bank = new MockBank({ railDelayMs: 100 });
    const statuses: string[] = [];
    const successes: string[] = [];
    const root = createRoot(container);
    root.render(
      createElement(
        ReactProvider,
        { mode: 'mock', mockBank: bank },
        createElement(ReactDeposit, {
          phone: '0712345678',
          onWkStatus: (event) => statuses.push(`${event.detail.kind} ${event.detail.status}`),
          onWkSuccess: (event) => successes.push(event.detail.kind),
        }),
        createElement(ReactWithdraw, { rail: 'rtgs' }),
      ),
    );
    const deposit = await expect
      .poll(() => container.querySelector('wk-deposit'))
      .not.toBeNull()
      .then(() => container.querySelector('wk-deposit')!);
    await expect.poll(() => maybePart(deposit, 'submit-button'), { timeout: 5000 }).not.toBeNull();
    await expect
      .poll(() => maybePart(container.querySelector('wk-withdraw')!, 'bank-code-input'), { timeout: 5000 })
      .not.toBeNull();
    await (deposit as WkDeposit).updateComplete;
    await (part(deposit, 'amount-input') as unknown as WkDeposit).updateComplete;
    typeAmount(deposit, '100');
    await (deposit as WkDeposit).updateComplete;
    part(deposit, 'submit-button').click();
    await expect
      .poll(() => `${successes.join()} | ${textOf(deposit)}`, { timeout: 8000 })
      .toMatch(/^deposit \|/);
    expect(statuses).toEqual(['deposit pending', 'deposit succeeded']);
    root.unmount();
  });
});
