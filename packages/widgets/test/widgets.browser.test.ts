import { afterEach, describe, expect, it } from 'vitest';
import type { WkErrorDetail, WkSuccessDetail } from '../src/core/events.ts';
import { defaultFixtures, MOCK_WALLET_ID, MockBank } from '../src/mock/index.ts';
import { cleanup, maybePart, mountInProvider, part, shoot, textOf, waitForText } from './helpers.ts';

afterEach(cleanup);

function collect<T>(target: EventTarget, type: string): T[] {
  const details: T[] = [];
  target.addEventListener(type, (event) => details.push((event as CustomEvent<T>).detail));
  return details;
}

describe('<wk-wallet-balance> in mock mode', () => {
  it('when loaded, then shows the available and ledger balance and fires wk-ready', async () => {
    const { host } = await mountInProvider('<wk-wallet-balance></wk-wallet-balance>');
    const ready = collect<{ widget: string }>(host, 'wk-ready');
    const widget = host.querySelector('wk-wallet-balance')!;
    await waitForText(widget, /Available balance/);
    expect(textOf(part(widget, 'available'))).toMatch(/^Ksh\s46,080\.00$/);
    expect(textOf(part(widget, 'ledger'))).toMatch(/Ksh/);
    await expect.poll(() => ready).toEqual([{ widget: 'wk-wallet-balance' }]);
    await shoot(widget, 'wallet-balance-ready');
  });

  it('while the bank is slow, then shows a loading state; refresh announces the update', async () => {
    const { host, bank } = await mountInProvider('<wk-wallet-balance></wk-wallet-balance>', {
      bankOptions: { latencyMs: 400 },
    });
    const widget = host.querySelector('wk-wallet-balance')!;
    await expect.poll(() => maybePart(widget, 'skeleton')).not.toBeNull();
    expect(part(widget, 'base').getAttribute('aria-busy')).toBe('true');
    await shoot(widget, 'wallet-balance-loading');
    await waitForText(widget, /Available balance/);
    bank.latencyMs = 0;
    part(widget, 'refresh-button').click();
    await expect.poll(() => textOf(part(widget, 'status'))).toBe('Balance updated.');
  });

  it('when the account does not exist, then shows a localized error with the request id and fires wk-error', async () => {
    const { host } = await mountInProvider(
      '<wk-wallet-balance account-id="acc_missing"></wk-wallet-balance>',
    );
    const errors = collect<WkErrorDetail>(host, 'wk-error');
    const widget = host.querySelector('wk-wallet-balance')!;
    await waitForText(widget, /could not find that account/);
    expect(part(widget, 'error').getAttribute('role')).toBe('alert');
    expect(errors[0]).toMatchObject({ code: 'not_found', problem: { status: 404, code: 'not_found' } });
    expect(errors[0]?.requestId).toMatch(/^req_mock_/);
    await shoot(widget, 'wallet-balance-error');
  });
});

describe('<wk-transactions> in mock mode', () => {
  it('when loaded, then lists a page with running balances and loads more', async () => {
    const { host } = await mountInProvider('<wk-transactions page-size="10"></wk-transactions>');
    const widget = host.querySelector('wk-transactions')!;
    await waitForText(widget, /10 transactions shown/);
    const rows = () => widget.shadowRoot!.querySelectorAll('[part~="row"]');
    expect(rows()).toHaveLength(10);
    const first = rows()[0]!;
    expect(textOf(first.querySelector('[part~="balance"]')!)).toMatch(/Ksh/);
    expect(first.querySelector('[part~="amount"]')!.getAttribute('part')).toMatch(/debit|credit/);
    await shoot(widget, 'transactions-ready');
    part(widget, 'load-more-button').click();
    await waitForText(widget, /20 transactions shown/);
    part(widget, 'load-more-button').click();
    await waitForText(widget, /24 transactions shown/);
    expect(maybePart(widget, 'load-more-button')).toBeNull();
  });

  it('when the account has no history, then shows the empty state', async () => {
    const fixtures = defaultFixtures();
    fixtures.transactions = fixtures.transactions.filter((t) => t.account_id !== MOCK_WALLET_ID);
    const { host } = await mountInProvider('<wk-transactions></wk-transactions>', {
      bankOptions: { fixtures },
    });
    const widget = host.querySelector('wk-transactions')!;
    await waitForText(widget, /No transactions yet/);
    await shoot(widget, 'transactions-empty');
  });

  it('when the network fails, then shows the network error and retries', async () => {
    const bank = new MockBank().fail({ path: /transactions/, network: true });
    const { host } = await mountInProvider('<wk-transactions></wk-transactions>', { bank });
    const errors = collect<WkErrorDetail>(host, 'wk-error');
    const widget = host.querySelector('wk-transactions')!;
    await waitForText(widget, /could not reach the bank/);
    expect(errors[0]?.code).toBe('network');
    await shoot(widget, 'transactions-error');
    bank.clearFailures();
    part(widget, 'retry-button').click();
    await waitForText(widget, /transactions shown/);
  });

  it('while loading, then shows a placeholder', async () => {
    const { host } = await mountInProvider('<wk-transactions></wk-transactions>', {
      bankOptions: { latencyMs: 500 },
    });
    const widget = host.querySelector('wk-transactions')!;
    await waitForText(widget, /Loading transactions/);
    await shoot(widget, 'transactions-loading');
  });
});

describe('<wk-login> in mock mode', () => {
  function fill(widget: Element, username: string, password: string) {
    part<HTMLInputElement>(widget, 'username-input').value = username;
    part<HTMLInputElement>(widget, 'password-input').value = password;
    part(widget, 'submit-button').click();
  }

  it('when fields are empty, then shows field errors and focuses the first', async () => {
    const { host } = await mountInProvider('<wk-login></wk-login>');
    const widget = host.querySelector('wk-login')!;
    await waitForText(widget, /Sign in/);
    fill(widget, '', '');
    await waitForText(widget, /Enter your phone number or e-mail/);
    expect(part(widget, 'username-input').getAttribute('aria-invalid')).toBe('true');
    await shoot(widget, 'login-invalid');
  });

  it('when the password is wrong, then says so; when right, then fires wk-success with the token', async () => {
    const { host } = await mountInProvider('<wk-login></wk-login>');
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const widget = host.querySelector('wk-login')!;
    await waitForText(widget, /Sign in/);
    fill(widget, 'customer@sandbox.test', 'wrong-password');
    await waitForText(widget, /password is not correct/);
    expect(part<HTMLInputElement>(widget, 'password-input').value).toBe('');
    await shoot(widget, 'login-error');
    fill(widget, 'customer@sandbox.test', 'sandbox-pass-123');
    await expect.poll(() => successes.length).toBe(1);
    expect(successes[0]).toMatchObject({ kind: 'login', resource: { tokenType: 'Bearer' } });
    expect(successes[0]?.kind === 'login' && successes[0].token).toMatch(/^mock_/);
    await waitForText(widget, /You are signed in/);
    await shoot(widget, 'login-success');
  });
});
