import type { Money } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { Deposit, WidgetClient } from '../../core/types.ts';
import { isWholeShillings, MoveElement, normalizeKenyanPhone } from '../move/move-element.ts';

/**
 * Tops up the wallet from M-Pesa: the customer enters their phone and an amount (whole shillings —
 * M-Pesa moves no cents, the bank answers 422 otherwise), the bank sends an STK push, the widget
 * says "check your phone" and then follows the deposit live — `pending` → `succeeded` (with the
 * M-Pesa receipt) or `failed` (with the reason, e.g. cancelled on the phone) — on the provider's
 * shared event stream, polling `GET /v1/deposits/{id}` when the stream is unavailable. One
 * Idempotency-Key per intent: a double click or a retry after a network failure asks once.
 *
 * @fires wk-ready - The form is usable.
 * @fires wk-status - The deposit's status changed (detail: `{ kind: 'deposit', resource, status, via }`).
 * @fires wk-success - The money arrived (detail: `{ kind: 'deposit', resource: Deposit }`).
 * @fires wk-error - Sending failed (detail: code, localized message, problem).
 *
 * @csspart base - The card (a `<form>`).
 * @csspart heading - The title (focused when the step changes).
 * @csspart label - Each field label.
 * @csspart phone-input - The M-Pesa phone number input.
 * @csspart amount-input - The `<wk-amount-input>` (its parts exported as amount-field, amount-label, amount-error).
 * @csspart submit-button - Sends the request to the phone.
 * @csspart progress - The "check your phone" line with its spinner.
 * @csspart spinner - The spinner while pending.
 * @csspart message - What happened (check your phone, received, or why it failed).
 * @csspart live-status - The live status line (`data-status` = pending | succeeded | failed).
 * @csspart pending - The live status line while pending (also `succeeded`, `failed`).
 * @csspart again-button - Another top-up, or try again after a failure.
 * @csspart status - The polite live region (announces every status change).
 * @csspart error - The form-level error (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons and the spinner.
 * @cssprop --wk-color-on-primary - Button text.
 * @cssprop --wk-color-surface - Inputs.
 * @cssprop --wk-color-border - Input borders and the spinner track.
 * @cssprop --wk-color-danger - Errors and the failed status.
 * @cssprop --wk-color-success - The succeeded status.
 * @cssprop --wk-color-focus - Focus ring.
 * @cssprop --wk-font-family - Font.
 * @cssprop --wk-border-radius - Corners.
 */
export class WkDeposit extends MoveElement<Deposit> {
  static override properties: PropertyDeclarations = {
    phone: { type: String },
  };

  /** The M-Pesa phone to prefill (the customer may change it). */
  declare phone: string;
  protected readonly kind = 'deposit' as const;

  constructor() {
    super();
    this.phone = '';
  }

  protected validate(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (normalizeKenyanPhone(this.phone) === undefined) errors.phone = this.t('move.phoneInvalid');
    const amount = this.amountError();
    if (amount) errors.amount = amount;
    else if (!isWholeShillings(this.amount as Money)) errors.amount = this.t('move.wholeShillings');
    return errors;
  }

  protected params(accountId: string): Record<string, unknown> {
    return {
      accountId,
      amount: this.amount,
      rail: 'mpesa',
      phone: normalizeKenyanPhone(this.phone) ?? this.phone.trim(),
    };
  }

  protected create(client: WidgetClient, params: Record<string, unknown>, key: string): Promise<Deposit> {
    if (!client.deposits) throw new Error('This client cannot make deposits');
    return client.deposits.create(params as never, { idempotencyKey: key });
  }

  protected fieldOf(path: string): string | undefined {
    if (path.startsWith('amount')) return 'amount';
    if (path.startsWith('phone')) return 'phone';
    return undefined;
  }

  #announcement(): string {
    const deposit = this.movement;
    if (this.busy) return this.t('deposit.sending');
    if (!deposit || this.step === 'edit') return '';
    const amount = this.money(deposit.amount);
    if (deposit.status === 'pending') return this.t('deposit.checkPhone', { amount });
    if (deposit.status === 'succeeded')
      return this.t('deposit.succeeded', { amount, receipt: deposit.receipt ?? '' });
    return `${this.t('deposit.failed', { amount })} ${this.failureText(deposit)}`;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const step = this.step;
    const title =
      step === 'pending'
        ? this.t('deposit.waitingTitle')
        : step === 'succeeded'
          ? this.t('deposit.succeededTitle')
          : step === 'failed'
            ? this.t('move.failedTitle')
            : this.t('deposit.title');
    const announcement = this.#announcement();
    const body =
      step === 'edit'
        ? html`
            ${this.renderText(
              'phone',
              'phone-input',
              this.t('move.phone'),
              this.phone,
              (v) => {
                this.phone = v;
              },
              { type: 'tel', inputmode: 'tel', autocomplete: 'tel', hint: this.t('move.phoneHint') },
            )}
            ${this.renderAmount(this.t('move.amount'))}
            <div class="actions">
              <button
                part="submit-button"
                type="submit"
                aria-busy=${this.busy ? 'true' : 'false'}
                aria-disabled=${this.busy ? 'true' : 'false'}
              >
                ${this.busy ? this.t('deposit.sending') : this.t('deposit.submit')}
              </button>
            </div>
          `
        : this.renderProgress(announcement);
    return html`
      <form part="base" novalidate aria-labelledby="title" @submit=${(e: Event) => this.submit(e)}>
        <h2 id="title" part="heading" tabindex="-1">${title}</h2>
        ${body}
        <p part="error" role="alert">${this.formError}</p>
        <p part="status" class="visually-hidden" role="status" aria-live="polite">${announcement}</p>
      </form>
    `;
  }
}
