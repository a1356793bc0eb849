import type { Money } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { Problem, WidgetClient, Withdrawal } from '../../core/types.ts';
import { isWholeShillings, MoveElement, normalizeKenyanPhone } from '../move/move-element.ts';

type Rail = 'mpesa' | 'rtgs';

/**
 * Withdraws from the wallet to an M-Pesa phone, or to a bank account over RTGS (bank code,
 * account number, account name). The bank holds the money at once and answers `pending`; the
 * widget shows the held amount and follows the withdrawal live — `succeeded` (with the receipt) or
 * `failed` (the reason; the hold is released) — on the shared event stream, polling
 * `GET /v1/withdrawals/{id}` when the stream is unavailable. When the bank answers `mfa_required`
 * (a large amount, or a new destination) the widget asks for the 6-digit code itself and fires
 * `wk-step-up-required`, so a host may supply the code instead (`detail.retry(otp)`). One
 * Idempotency-Key per intent.
 *
 * @fires wk-ready - The form is usable.
 * @fires wk-status - The withdrawal's status changed (detail: `{ kind: 'withdrawal', resource, status, via }`).
 * @fires wk-success - The money was paid out (detail: `{ kind: 'withdrawal', resource: Withdrawal }`).
 * @fires wk-step-up-required - The bank wants a one-time code; the widget asks for it, or call `detail.retry(otp)`.
 * @fires wk-error - Sending failed (detail: code, localized message, problem).
 *
 * @csspart base - The card (a `<form>`).
 * @csspart heading - The title (focused when the step changes).
 * @csspart rail-select - The "send to" choice: an M-Pesa phone or a bank account (RTGS).
 * @csspart label - Each field label.
 * @csspart phone-input - The M-Pesa phone number input.
 * @csspart bank-code-input - The bank code (BIC) input.
 * @csspart account-number-input - The bank account number input.
 * @csspart account-name-input - The bank account name input.
 * @csspart amount-input - The `<wk-amount-input>` (its parts exported as amount-field, amount-label, amount-error).
 * @csspart submit-button - Sends the withdrawal.
 * @csspart otp-input - The one-time code input (step-up).
 * @csspart verify-button - Sends again with the code.
 * @csspart cancel-button - Leaves the step-up.
 * @csspart progress - The held-amount line with its spinner.
 * @csspart spinner - The spinner while pending.
 * @csspart message - What happened (held, sent, or why it failed).
 * @csspart live-status - The live status line (`data-status` = pending | succeeded | failed).
 * @csspart pending - The live status line while pending (also `succeeded`, `failed`).
 * @csspart again-button - Another withdrawal, or try again after a failure.
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
export class WkWithdraw extends MoveElement<Withdrawal> {
  static override properties: PropertyDeclarations = {
    rail: { type: String, reflect: true },
    phone: { type: String },
    bankCode: { state: true },
    accountNumber: { state: true },
    accountName: { state: true },
    otp: { state: true },
  };

  /** `mpesa` (default) or `rtgs`: where the money goes first. */
  declare rail: Rail;
  /** The M-Pesa phone to prefill. */
  declare phone: string;
  declare private bankCode: string;
  declare private accountNumber: string;
  declare private accountName: string;
  declare private otp: string;
  protected readonly kind = 'withdrawal' as const;

  constructor() {
    super();
    this.rail = 'mpesa';
    this.phone = '';
    this.bankCode = '';
    this.accountNumber = '';
    this.accountName = '';
    this.otp = '';
  }

  get #rail(): Rail {
    return this.rail === 'rtgs' ? 'rtgs' : 'mpesa';
  }

  protected validate(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (this.#rail === 'mpesa') {
      if (normalizeKenyanPhone(this.phone) === undefined) errors.phone = this.t('move.phoneInvalid');
    } else {
      if (!/^[A-Za-z0-9]{2,11}$/.test(this.bankCode.trim()))
        errors.bankCode = this.t('field.bankCode.invalid');
      if (!/^[A-Za-z0-9-]{1,34}$/.test(this.accountNumber.replace(/\s/g, '')))
        errors.accountNumber = this.t('field.accountNumber.invalid');
      if (this.accountName.trim() === '') errors.accountName = this.t('field.accountName.required');
    }
    const amount = this.amountError();
    if (amount) errors.amount = amount;
    else if (this.#rail === 'mpesa' && !isWholeShillings(this.amount as Money))
      errors.amount = this.t('move.wholeShillings');
    return errors;
  }

  protected params(accountId: string): Record<string, unknown> {
    const destination =
      this.#rail === 'mpesa'
        ? { phone: normalizeKenyanPhone(this.phone) ?? this.phone.trim() }
        : {
            bankCode: this.bankCode.trim().toUpperCase(),
            accountNumber: this.accountNumber.replace(/\s/g, ''),
            accountName: this.accountName.trim(),
          };
    return { accountId, amount: this.amount, rail: this.#rail, destination };
  }

  protected create(
    client: WidgetClient,
    params: Record<string, unknown>,
    key: string,
    otp: string | undefined,
  ): Promise<Withdrawal> {
    if (!client.withdrawals) throw new Error('This client cannot make withdrawals');
    const body = otp === undefined ? params : { ...params, otp };
    return client.withdrawals.create(body as never, { idempotencyKey: key });
  }

  protected fieldOf(path: string): string | undefined {
    if (path.startsWith('amount')) return 'amount';
    if (path.includes('phone')) return 'phone';
    if (path.includes('bank_code')) return 'bankCode';
    if (path.includes('account_number')) return 'accountNumber';
    if (path.includes('account_name')) return 'accountName';
    if (path.startsWith('otp')) return 'otp';
    return undefined;
  }

  protected override stepUp(problem: Problem): boolean {
    const wasOtp = this.step === 'otp';
    this.step = 'otp';
    this.otp = '';
    // A second `mfa_required` answers a wrong or used code.
    this.fieldErrors = wasOtp ? { otp: this.t('error.mfa_required') } : {};
    this.formError = '';
    // After the failed send has finished (a host may call retry at once).
    queueMicrotask(() =>
      this.emit('wk-step-up-required', {
        problem,
        retry: (otp: string) => this.#verify(otp),
        cancel: () => this.#cancelStepUp(),
      }),
    );
    void this.focusInside('#otp');
    return true;
  }

  async #verify(code?: string): Promise<void> {
    const otp = (code ?? this.otp).trim();
    if (!/^[0-9]{6}$/.test(otp)) {
      this.fieldErrors = { otp: this.t('withdraw.otpInvalid') };
      await this.focusInside('#otp');
      return;
    }
    await this.send(otp);
  }

  #cancelStepUp(): void {
    if (this.step !== 'otp') return;
    this.step = 'edit';
    this.fieldErrors = {};
    void this.focusInside('input');
  }

  #destinationText(withdrawal: Withdrawal): string {
    const d = withdrawal.destination as { phone?: string; accountNumber?: string; accountName?: string };
    return d.phone ?? `${d.accountName ?? ''} (${d.accountNumber ?? ''})`;
  }

  #announcement(): string {
    const withdrawal = this.movement;
    if (this.busy) return this.t('withdraw.sending');
    if (!withdrawal || this.step === 'edit' || this.step === 'otp') return '';
    const amount = this.money(withdrawal.amount);
    if (withdrawal.status === 'pending') return this.t('withdraw.held', { amount });
    if (withdrawal.status === 'succeeded')
      return this.t('withdraw.succeeded', {
        amount,
        to: this.#destinationText(withdrawal),
        receipt: withdrawal.receipt ?? '',
      });
    return `${this.t('withdraw.failed', { amount })} ${this.failureText(withdrawal)}`;
  }

  #setRail(rail: Rail): void {
    this.rail = rail;
    this.fieldErrors = {};
  }

  #renderEdit() {
    const rail = this.#rail;
    return html`
      <div class="field">
        <label part="label" for="rail">${this.t('withdraw.to')}</label>
        <select
          id="rail"
          part="rail-select"
          @change=${(e: Event) => this.#setRail((e.target as HTMLSelectElement).value === 'rtgs' ? 'rtgs' : 'mpesa')}
        >
          <option value="mpesa" ?selected=${rail === 'mpesa'}>${this.t('withdraw.mpesa')}</option>
          <option value="rtgs" ?selected=${rail === 'rtgs'}>${this.t('withdraw.rtgs')}</option>
        </select>
      </div>
      ${
        rail === 'mpesa'
          ? this.renderText(
              'phone',
              'phone-input',
              this.t('move.phone'),
              this.phone,
              (v) => {
                this.phone = v;
              },
              { type: 'tel', inputmode: 'tel', autocomplete: 'tel', hint: this.t('move.phoneHint') },
            )
          : html`
              ${this.renderText(
                'bankCode',
                'bank-code-input',
                this.t('withdraw.bankCode'),
                this.bankCode,
                (v) => {
                  this.bankCode = v;
                },
              )}
              ${this.renderText(
                'accountNumber',
                'account-number-input',
                this.t('withdraw.accountNumber'),
                this.accountNumber,
                (v) => {
                  this.accountNumber = v;
                },
              )}
              ${this.renderText(
                'accountName',
                'account-name-input',
                this.t('withdraw.accountName'),
                this.accountName,
                (v) => {
                  this.accountName = v;
                },
                { autocomplete: 'name' },
              )}
            `
      }
      ${this.renderAmount(rail === 'mpesa' ? this.t('move.amount') : this.t('withdraw.amountRtgs'))}
      <div class="actions">
        <button
          part="submit-button"
          type="submit"
          aria-busy=${this.busy ? 'true' : 'false'}
          aria-disabled=${this.busy ? 'true' : 'false'}
        >
          ${
            this.busy
              ? this.t('withdraw.sending')
              : this.amount?.isPositive()
                ? this.t('withdraw.submit', { amount: this.money(this.amount) })
                : this.t('withdraw.submitEmpty')
          }
        </button>
      </div>
    `;
  }

  #renderOtp() {
    return html`
      <p class="muted">${this.t('withdraw.otpText')}</p>
      ${this.renderText(
        'otp',
        'otp-input',
        this.t('withdraw.otp'),
        this.otp,
        (v) => {
          this.otp = v;
        },
        { inputmode: 'numeric', autocomplete: 'one-time-code' },
      )}
      <div class="actions">
        <button part="cancel-button" class="secondary" type="button" @click=${() => this.#cancelStepUp()}>
          ${this.t('withdraw.cancel')}
        </button>
        <button part="verify-button" type="submit" aria-busy=${this.busy ? 'true' : 'false'}>
          ${this.busy ? this.t('withdraw.sending') : this.t('withdraw.verify')}
        </button>
      </div>
    `;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const step = this.step;
    const title =
      step === 'otp'
        ? this.t('withdraw.otpTitle')
        : step === 'pending'
          ? this.t('withdraw.waitingTitle')
          : step === 'succeeded'
            ? this.t('withdraw.succeededTitle')
            : step === 'failed'
              ? this.t('move.failedTitle')
              : this.t('withdraw.title');
    const announcement = this.#announcement();
    const body =
      step === 'edit'
        ? this.#renderEdit()
        : step === 'otp'
          ? this.#renderOtp()
          : this.renderProgress(announcement);
    return html`
      <form
        part="base"
        novalidate
        aria-labelledby="title"
        @submit=${(e: Event) => {
          if (this.step === 'otp') {
            e.preventDefault();
            void this.#verify();
          } else void this.submit(e);
        }}
      >
        <h2 id="title" part="heading" tabindex="-1">${title}</h2>
        ${body}
        <p part="error" role="alert">${this.formError}</p>
        <p part="status" class="visually-hidden" role="status" aria-live="polite">${announcement}</p>
      </form>
    `;
  }
}
