import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { WkTransferForm } from '../src/components/transfer-form/transfer-form.ts';
import type { WkErrorDetail, WkStepUpRequiredDetail, WkSuccessDetail } from '../src/core/events.ts';
import {
  MOCK_OTHER_KES_ID,
  MOCK_OTHER_USD_ID,
  MOCK_SAVINGS_ID,
  MOCK_WALLET_ID,
  MockBank,
} from '../src/mock/index.ts';
import {
  cleanup,
  deepActiveElement,
  maybePart,
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

/** `allow-account-id`: these tests also address accounts by id, as integrators may. */
async function mountForm(bank = new MockBank(), attributes = 'allow-account-id') {
  const mountedForm = await mountInProvider(
    `<wk-transfer-form ${attributes}></wk-transfer-form><wk-wallet-balance></wk-wallet-balance>`,
    { bank },
  );
  const form = mountedForm.host.querySelector('wk-transfer-form') as WkTransferForm;
  await waitForText(form, /Review transfer/);
  return { ...mountedForm, form };
}

function amountInput(form: Element): HTMLInputElement {
  return part(form, 'amount-input').shadowRoot!.querySelector('input')!;
}

/** Fills the edit step through the DOM (as a user typing would). */
async function fillDraft(form: Element, draft: { to?: string; amount: string; reference?: string }) {
  if (draft.to !== undefined) {
    const select = part<HTMLSelectElement>(form, 'to-select');
    const own = [...select.options].some((o) => o.value === draft.to);
    select.value = own ? draft.to : '__other';
    select.dispatchEvent(new Event('change'));
    if (!own) {
      await (form as WkTransferForm).updateComplete;
      const to = part<HTMLInputElement>(form, 'to-input');
      to.value = draft.to;
      to.dispatchEvent(new Event('input'));
    }
  }
  const input = amountInput(form);
  input.value = draft.amount;
  input.dispatchEvent(new Event('input'));
  if (draft.reference !== undefined) {
    const reference = part<HTMLInputElement>(form, 'reference-input');
    reference.value = draft.reference;
    reference.dispatchEvent(new Event('input'));
  }
  await (form as WkTransferForm).updateComplete;
}

async function review(form: WkTransferForm) {
  part(form, 'review-button').click();
  await waitForText(form, /Check the details/);
}

describe('<wk-transfer-form> in mock mode', () => {
  it('keyboard only (Tab, typing, Enter, Space): reviews, sends, fires wk-success and refreshes the balance', async () => {
    const { host, form, bank } = await mountForm();
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const balance = host.querySelector('wk-wallet-balance')!;
    await waitForText(balance, /46,080\.00/);
    (host.querySelector('#start') as HTMLButtonElement).focus();

    await userEvent.keyboard('{Tab}');
    expect(deepActiveElement()?.getAttribute('part')).toBe('from-select');
    await userEvent.keyboard('{Tab}');
    expect(deepActiveElement()?.getAttribute('part')).toBe('to-select');
    await userEvent.keyboard('{Tab}');
    expect(deepActiveElement()?.getAttribute('part')).toBe('input');
    expect(deepActiveElement()?.getAttribute('inputmode')).toBe('decimal');
    await userEvent.keyboard('1500.5');
    await userEvent.keyboard('{Tab}');
    expect(amountInput(form).value).toBe('1,500.50');
    expect(deepActiveElement()?.getAttribute('part')).toBe('reference-input');
    await userEvent.keyboard('Rent');
    await userEvent.keyboard('{Enter}');
    await waitForText(form, /Check the details/);
    expect(deepActiveElement()?.getAttribute('part')).toBe('heading');
    await shoot(form, 'transfer-form-review');

    await userEvent.keyboard('{Tab}');
    expect(deepActiveElement()?.getAttribute('part')).toBe('edit-button');
    await userEvent.keyboard('{Tab}');
    expect(deepActiveElement()?.getAttribute('part')).toBe('confirm-button');
    await userEvent.keyboard(' ');
    await expect.poll(() => successes.length).toBe(1);
    const success = successes[0]!;
    expect(success.kind).toBe('transfer');
    if (success.kind !== 'transfer') throw new Error('unreachable');
    expect(success.resource.amount.toDecimalString()).toBe('1500.50');
    expect(success.resource.toAccountId).toBe(MOCK_SAVINGS_ID);
    expect(success.journalEntryId).toBe(success.resource.journalEntryId);
    expect(success.journalEntryId).toMatch(/^je_/);
    await waitForText(form, /Sent Ksh\s1,500\.50 to Savings ••MINA/);
    expect(bank.balanceOf(MOCK_WALLET_ID)).toBe('45079.50');
    await waitForText(balance, /44,579\.50/);
    await shoot(form, 'transfer-form-success');

    // "Make another transfer" with Enter starts a fresh, empty draft.
    part(form, 'another-button').focus();
    await userEvent.keyboard('{Enter}');
    await waitForText(form, /Review transfer/);
    expect(amountInput(form).value).toBe('');
  });

  it('a double click on confirm sends one POST and pays once', async () => {
    const bank = new MockBank({ latencyMs: 150 });
    const { host, form } = await mountForm(bank);
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    await fillDraft(form, { amount: '2500' });
    await review(form);
    const key = form.idempotencyKey;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    await userEvent.dblClick(part(form, 'confirm-button'));
    part(form, 'confirm-button').click();
    await expect.poll(() => successes.length).toBe(1);
    expect(bank.transferRequests).toHaveLength(1);
    expect(bank.transferRequests[0]?.headers['idempotency-key']).toBe(key);
    expect(bank.transfersCompleted).toBe(1);
  });

  it('after a network failure, the retry reuses the same Idempotency-Key', async () => {
    const bank = new MockBank().fail({ method: 'POST', path: /transfers/, network: true, times: 1 });
    const { host, form } = await mountForm(bank);
    const errors = collect<WkErrorDetail>(host, 'wk-error');
    await fillDraft(form, { amount: '100' });
    await review(form);
    part(form, 'confirm-button').click();
    await waitForText(form, /could not reach the bank/);
    expect(errors.at(-1)?.code).toBe('network');
    await shoot(form, 'transfer-form-network-error');
    part(form, 'confirm-button').click();
    await waitForText(form, /Sent Ksh/);
    const keys = bank.transferRequests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('when the balance is too low, then explains it; after a definite refusal a new attempt gets a new key', async () => {
    const { host, form, bank } = await mountForm();
    const errors = collect<WkErrorDetail>(host, 'wk-error');
    await fillDraft(form, { to: MOCK_OTHER_KES_ID, amount: '90,000' });
    await review(form);
    part(form, 'confirm-button').click();
    await waitForText(form, /not enough available balance/);
    expect(errors.at(-1)).toMatchObject({ code: 'insufficient_funds', problem: { status: 422 } });
    expect(part(form, 'error').getAttribute('role')).toBe('alert');
    await shoot(form, 'transfer-form-insufficient-funds');
    part(form, 'confirm-button').click();
    await expect.poll(() => bank.transferRequests.length).toBe(2);
    const [first, second] = bank.transferRequests.map((r) => r.headers['idempotency-key']);
    expect(first).not.toBe(second);
  });

  it('when the currencies differ or the account is unknown, then shows those errors', async () => {
    const { form } = await mountForm();
    await fillDraft(form, { to: MOCK_OTHER_USD_ID, amount: '10' });
    await review(form);
    part(form, 'confirm-button').click();
    await waitForText(form, /different currencies/);
    part(form, 'edit-button').click();
    await waitForText(form, /Review transfer/);
    await fillDraft(form, { to: 'acc_nobody', amount: '10' });
    await review(form);
    part(form, 'confirm-button').click();
    await waitForText(form, /could not find that account/);
  });

  it('when fields are invalid, then shows per-field errors and focuses the first; server field errors too', async () => {
    const bank = new MockBank();
    const { form } = await mountForm(bank);
    await fillDraft(form, { to: 'not-an-id', amount: 'abc' });
    part(form, 'review-button').click();
    await waitForText(form, /Account IDs start with acc_/);
    expect(textOf(form)).toMatch(/Enter an amount such as 1,500\.50/);
    expect(deepActiveElement()?.getAttribute('part')).toBe('to-input');
    await shoot(form, 'transfer-form-invalid');

    bank.fail({
      method: 'POST',
      path: /transfers/,
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'reference', message: 'must not contain emoji' }],
    });
    await fillDraft(form, { to: MOCK_SAVINGS_ID, amount: '5', reference: 'ok' });
    await review(form);
    part(form, 'confirm-button').click();
    await waitForText(form, /must not contain emoji/);
    expect(part(form, 'reference-input').getAttribute('aria-invalid')).toBe('true');
    expect(deepActiveElement()?.getAttribute('part')).toBe('reference-input');
  });

  it('when the server wants step-up, then fires wk-step-up-required and retry(otp) completes the transfer', async () => {
    const { host, form, bank } = await mountForm();
    const stepUps = collect<WkStepUpRequiredDetail>(host, 'wk-step-up-required');
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const from = part<HTMLSelectElement>(form, 'from-select');
    from.value = MOCK_SAVINGS_ID;
    from.dispatchEvent(new Event('change'));
    await form.updateComplete;
    await fillDraft(form, { amount: '100,000.01' });
    await review(form);
    part(form, 'confirm-button').click();
    await expect.poll(() => stepUps.length).toBe(1);
    expect(stepUps[0]?.problem.code).toBe('mfa_required');
    await waitForText(form, /Waiting for verification/);
    await stepUps[0]!.retry('123456');
    expect(successes).toHaveLength(1);
    expect(bank.transferRequests.at(-1)?.body).toMatchObject({ otp: '123456' });
    expect(bank.transfersCompleted).toBe(1);
  });

  it('pay by phone: the bank resolves the number, the review shows the masked name and no account id, then it pays', async () => {
    const { host, form, bank } = await mountForm(new MockBank(), 'pay-by-phone');
    const successes = collect<WkSuccessDetail>(host, 'wk-success');
    const select = part<HTMLSelectElement>(form, 'to-select');
    expect(select.value).toBe('__phone');
    // Without allow-account-id nobody is asked for an internal account id.
    expect([...select.options].map((o) => o.value)).not.toContain('__other');
    const phone = part<HTMLInputElement>(form, 'phone-input');
    phone.value = '0722 000 111';
    phone.dispatchEvent(new Event('input'));
    const input = amountInput(form);
    input.value = '250';
    input.dispatchEvent(new Event('input'));
    await form.updateComplete;
    await review(form);
    expect(part(form, 'recipient').textContent).toMatch(/Brian K\. \(•••• 111\)/);
    expect(textOf(form)).not.toMatch(/acc_/);
    expect(bank.requests.some((r) => r.path === '/v1/payees/resolve')).toBe(true);
    await shoot(form, 'transfer-form-pay-by-phone-review');
    part(form, 'confirm-button').click();
    await waitForText(form, /Sent Ksh\s250\.00 to Brian K\./);
    expect(successes[0]).toMatchObject({ kind: 'transfer', recipientName: 'Brian K.' });
    expect(bank.transferRequests[0]?.body).toMatchObject({ to_account_id: MOCK_OTHER_KES_ID });
    // The number is now a recent payee: one press picks it again.
    part(form, 'another-button').click();
    await waitForText(form, /Review transfer/);
    part(form, 'payee-button').click();
    await form.updateComplete;
    expect(part<HTMLInputElement>(form, 'phone-input').value).toBe('+254722000111');
    expect(part(form, 'payee-button').textContent).toMatch(/Brian K\./);
  });

  it('pay by phone: a number that pays nobody is a field error, and nothing is sent', async () => {
    const { form, bank } = await mountForm(new MockBank(), 'pay-by-phone');
    const phone = part<HTMLInputElement>(form, 'phone-input');
    phone.value = '0799 999 999';
    phone.dispatchEvent(new Event('input'));
    const input = amountInput(form);
    input.value = '10';
    input.dispatchEvent(new Event('input'));
    await form.updateComplete;
    part(form, 'review-button').click();
    await waitForText(form, /Nobody can receive money at this number/);
    expect(part(form, 'phone-input').getAttribute('aria-invalid')).toBe('true');
    expect(deepActiveElement()?.getAttribute('part')).toBe('phone-input');
    phone.value = '12';
    phone.dispatchEvent(new Event('input'));
    await form.updateComplete;
    part(form, 'review-button').click();
    await waitForText(form, /Enter a phone number such as/);
    expect(bank.transferRequests).toHaveLength(0);
  });

  it('pay by phone: after sending, the number can be kept as a saved payee, offered next time', async () => {
    const bank = new MockBank();
    const { form } = await mountForm(bank, 'pay-by-phone');
    const phone = part<HTMLInputElement>(form, 'phone-input');
    phone.value = '+254 722 000 111';
    phone.dispatchEvent(new Event('input'));
    const input = amountInput(form);
    input.value = '20';
    input.dispatchEvent(new Event('input'));
    await form.updateComplete;
    await review(form);
    part(form, 'confirm-button').click();
    await waitForText(form, /Sent Ksh\s20\.00 to Brian K\./);
    part(form, 'save-payee-button').click();
    await waitForText(form, /Brian K\. is now a saved payee/);
    expect(bank.save.fixtures.saved).toMatchObject([{ phone: '+254722000111', display_name: 'Brian K.' }]);
    expect(maybePart(form, 'save-payee-button')).toBeNull();
    // A new form (another page) offers the saved payee.
    cleanup();
    const again = await mountForm(bank, 'pay-by-phone');
    await expect
      .poll(() => again.form.shadowRoot?.querySelectorAll('[part~="payee-button"]').length)
      .toBeGreaterThan(0);
    expect(textOf(part(again.form, 'payees'))).toMatch(/Brian K\./);
  });
});
