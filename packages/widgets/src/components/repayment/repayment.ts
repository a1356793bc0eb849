import type { Money } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { isRepayable } from '../../core/borrow.ts';
import { WekezaElement } from '../../core/element.ts';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import type { Account, Loan, LoanPayoff, LoanRepayment } from '../../core/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { WkAmountInput } from '../amount-input/amount-input.ts';

type Step = 'edit' | 'review' | 'done';
type Kind = 'full' | 'partial';

/** One user intent: the payment the customer reviewed and the Idempotency-Key that pays it at most once. */
interface Intent {
  signature: string;
  key: string;
  /** The last attempt with `key` certainly failed (4xx): the next confirm needs a fresh key. */
  spent: boolean;
}

/**
 * Repays a loan from one of the customer's accounts (by default the wallet): in full — the payoff
 * for today's bank date (`GET /v1/loans/{id}/payoff`), shown before paying — or in part, any amount
 * up to the payoff. Edit → review → done; one Idempotency-Key per intent (created when the customer
 * reviews a payment and reused for every confirm of it, so a double click or a retry after a network
 * failure pays once; a new key only after a definite refusal or a changed payment). Shows how the
 * bank split the payment (penalties, interest, fees, principal) and what is still owed.
 *
 * @fires wk-ready - The loans and accounts are loaded.
 * @fires wk-success - The repayment was booked (detail: `{ kind: 'repayment', resource: LoanRepayment }`).
 * @fires wk-error - Loading or paying failed (detail: code, localized message, problem).
 * @fires wk-step-up-required - The server asked for step-up (`mfa_required`); call `detail.retry(otp)` once the session is stepped up.
 *
 * @csspart base - The card (a `<form>`).
 * @csspart heading - The step title.
 * @csspart label - Each field label.
 * @csspart loan-select - The loan picker.
 * @csspart from-select - The account to pay from.
 * @csspart kind-select - The full / partial choice.
 * @csspart payoff - The payoff line ("To close the loan today: …").
 * @csspart amount-input - The `<wk-amount-input>` of a partial payment.
 * @csspart review-button - Goes to the review step.
 * @csspart summary - The review summary list.
 * @csspart confirm-button - Pays.
 * @csspart edit-button - Back to editing.
 * @csspart another-button - Starts a new payment after success.
 * @csspart empty - The "no loan to repay" message.
 * @csspart status - The polite live region (progress and success).
 * @csspart error - The form-level error (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons.
 * @cssprop --wk-color-on-primary - Button text.
 * @cssprop --wk-color-surface - Inputs.
 * @cssprop --wk-color-border - Input borders.
 * @cssprop --wk-color-danger - Errors.
 * @cssprop --wk-color-success - Success message.
 * @cssprop --wk-color-focus - Focus ring.
 */
export class WkRepayment extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: calc(var(--_wk-space) * 2) calc(var(--_wk-space) * 4);
        margin: 0;
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      h2:focus {
        outline: none;
      }
      h2:focus-visible {
        outline: 3px solid var(--_wk-focus);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    loanId: { type: String, attribute: 'loan-id', reflect: true },
    fromAccountId: { type: String, attribute: 'from-account-id' },
    step: { state: true },
    loans: { state: true },
    accounts: { state: true },
    loadError: { state: true },
    selectedLoan: { state: true },
    fromId: { state: true },
    kind: { state: true },
    payoff: { state: true },
    amount: { state: true },
    amountText: { state: true },
    amountError: { state: true },
    formError: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  /** Preselects the loan to repay (default: the first open loan). */
  declare loanId: string | undefined;
  /** Preselects the account to pay from (default: the wallet). */
  declare fromAccountId: string | undefined;
  declare private step: Step;
  declare private loans: Loan[] | undefined;
  declare private accounts: Account[];
  declare private loadError: string;
  declare private selectedLoan: string;
  declare private fromId: string;
  declare private kind: Kind;
  declare private payoff: LoanPayoff | undefined;
  declare private amount: Money | undefined;
  declare private amountText: string;
  declare private amountError: string;
  declare private formError: string;
  declare private status: string;
  declare private busy: boolean;

  #intent: Intent | undefined;
  #loadedFor: unknown[] = [];
  #generation = 0;
  #payoffGeneration = 0;

  constructor() {
    super();
    this.step = 'edit';
    this.loans = undefined;
    this.accounts = [];
    this.loadError = '';
    this.selectedLoan = '';
    this.fromId = '';
    this.kind = 'partial';
    this.payoff = undefined;
    this.amount = undefined;
    this.amountText = '';
    this.amountError = '';
    this.formError = '';
    this.status = '';
    this.busy = false;
    void WkAmountInput;
  }

  /** The Idempotency-Key of the current intent (undefined before review); for tests and logging. */
  get idempotencyKey(): string | undefined {
    return this.#intent?.key;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient, this.environment?.revision];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      // After a payment the done step stays on screen; the lists behind it refresh.
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.loadError = this.reportError(undefined, 'no_client').message;
      return;
    }
    try {
      const [loans, accounts] = await Promise.all([
        client.loans.list({ limit: 100 }),
        client.accounts.list({ limit: 100 }),
      ]);
      if (generation !== this.#generation) return;
      this.loans = loans.data.filter((loan) => isRepayable(loan.status));
      this.accounts = accounts.data.filter((a) => a.status === 'open' && a.type !== 'fixed_deposit');
      this.loadError = '';
      if (!this.loans.some((loan) => loan.id === this.selectedLoan)) {
        this.selectedLoan = this.loans.find((loan) => loan.id === this.loanId)?.id ?? this.loans[0]?.id ?? '';
        this.payoff = undefined;
      }
      if (!this.accounts.some((a) => a.id === this.fromId)) {
        this.fromId =
          this.accounts.find((a) => a.id === this.fromAccountId)?.id ??
          this.accounts.find((a) => a.type === 'wallet')?.id ??
          this.accounts[0]?.id ??
          '';
      }
      if (this.step === 'edit') void this.#loadPayoff();
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.loadError = this.reportError(error).message;
    }
  }

  async #loadPayoff(): Promise<void> {
    const client = this.activeClient;
    const id = this.selectedLoan;
    const generation = ++this.#payoffGeneration;
    if (!client || id === '') return;
    try {
      const payoff = await client.loans.payoff(id);
      if (generation === this.#payoffGeneration) this.payoff = payoff;
    } catch (error) {
      if (generation === this.#payoffGeneration) this.formError = this.reportError(error).message;
    }
  }

  get #loan(): Loan | undefined {
    return this.loans?.find((loan) => loan.id === this.selectedLoan);
  }

  /** What this payment is: the payoff in full, or the typed amount. */
  get #payment(): Money | undefined {
    return this.kind === 'full' ? this.payoff?.total : this.amount;
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus();
  }

  async #review(event: Event): Promise<void> {
    event.preventDefault();
    if (this.step !== 'edit' || this.busy) return;
    this.formError = '';
    this.amountError = '';
    const payment = this.#payment;
    if (this.kind === 'partial') {
      if (this.amount === undefined) {
        this.amountError =
          this.amountText.trim() === '' ? this.t('field.amount.required') : this.t('field.amount.invalid');
      } else if (!this.amount.isPositive()) {
        this.amountError = this.t('field.amount.positive');
      } else if (this.payoff && this.amount.greaterThan(this.payoff.total)) {
        this.amountError = this.t('repay.overPayoff', { amount: this.money(this.payoff.total) });
      }
    }
    if (this.amountError !== '' || payment === undefined || this.fromId === '') {
      this.formError = this.t('error.validation_failed');
      await this.#focus('wk-amount-input');
      return;
    }
    const signature = JSON.stringify([this.selectedLoan, this.fromId, payment.toJSON()]);
    if (this.#intent === undefined || this.#intent.signature !== signature) {
      this.#intent = { signature, key: newIdempotencyKey(), spent: false };
    }
    this.step = 'review';
    await this.#focus('h2');
  }

  #edit(): void {
    if (this.busy) return;
    this.step = 'edit';
    this.formError = '';
    this.status = '';
    void this.#loadPayoff();
    void this.#focus('select');
  }

  async #confirm(): Promise<void> {
    const client = this.activeClient;
    const intent = this.#intent;
    const payment = this.#payment;
    if (this.busy || this.step !== 'review' || !client || !intent || !payment) return;
    this.busy = true;
    if (intent.spent) {
      intent.key = newIdempotencyKey();
      intent.spent = false;
    }
    this.formError = '';
    this.status = this.t('repay.paying');
    try {
      const repayment = await client.loans.repay(
        this.selectedLoan,
        { amount: payment, fromAccountId: this.fromId },
        { idempotencyKey: intent.key },
      );
      this.#intent = undefined;
      this.busy = false;
      this.step = 'done';
      this.status = this.#successText(repayment);
      this.emit('wk-success', { kind: 'repayment', resource: repayment });
      await this.#focus('h2');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      const described = describeError(error);
      if (described.code === 'mfa_required' && described.problem) {
        this.status = this.t('repay.stepUp');
        this.emit('wk-step-up-required', {
          problem: described.problem,
          retry: () => this.#confirm(),
          cancel: () => {
            this.status = '';
          },
        });
        return;
      }
      const reported = this.reportError(error);
      this.formError = reported.requestId
        ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
        : reported.message;
    }
  }

  #successText(repayment: LoanRepayment): string {
    const paid = this.money(repayment.amount);
    const split = this.t('repay.split', {
      principal: this.money(repayment.principal),
      interest: this.money(repayment.interest),
      fees: this.money(repayment.fees),
      penalties: this.money(repayment.penalties),
    });
    const head =
      repayment.loan.status === 'closed'
        ? this.t('repay.closed', { amount: paid })
        : this.t('repay.success', { amount: paid, remaining: this.money(repayment.loan.outstanding.total) });
    return `${head} ${split}`;
  }

  #another(): void {
    this.step = 'edit';
    this.amount = undefined;
    this.amountText = '';
    this.status = '';
    this.payoff = undefined;
    void this.#load();
    void this.#focus('select');
  }

  #accountLabel(account: Account): string {
    return this.t('account.option', {
      type: this.t(`account.${account.type}` as MessageKey),
      id: account.id,
      available: this.money(account.balance.available),
    });
  }

  #renderEdit() {
    const loans = this.loans ?? [];
    if (loans.length === 0) return html`<p part="empty" class="muted">${this.t('repay.noLoans')}</p>`;
    const loan = this.#loan;
    const currency = loan?.currency ?? 'KES';
    return html`
      <div class="field">
        <label part="label" for="loan">${this.t('repay.loan')}</label>
        <select
          id="loan"
          part="loan-select"
          @change=${(e: Event) => {
            this.selectedLoan = (e.target as HTMLSelectElement).value;
            this.payoff = undefined;
            void this.#loadPayoff();
          }}
        >
          ${loans.map(
            (l) => html`<option value=${l.id} ?selected=${l.id === this.selectedLoan}>
              ${this.t('repay.loanOption', { number: l.loanNumber, amount: this.money(l.outstanding.total) })}
            </option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label part="label" for="from">${this.t('repay.from')}</label>
        <select
          id="from"
          part="from-select"
          @change=${(e: Event) => {
            this.fromId = (e.target as HTMLSelectElement).value;
          }}
        >
          ${this.accounts.map(
            (a) =>
              html`<option value=${a.id} ?selected=${a.id === this.fromId}>${this.#accountLabel(a)}</option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label part="label" for="kind">${this.t('repay.kind')}</label>
        <select
          id="kind"
          part="kind-select"
          @change=${(e: Event) => {
            this.kind = (e.target as HTMLSelectElement).value === 'full' ? 'full' : 'partial';
            this.amountError = '';
          }}
        >
          <option value="partial" ?selected=${this.kind === 'partial'}>${this.t('repay.partial')}</option>
          <option value="full" ?selected=${this.kind === 'full'} ?disabled=${this.payoff === undefined}>
            ${this.t('repay.full', { amount: this.payoff ? this.money(this.payoff.total) : '…' })}
          </option>
        </select>
      </div>
      ${
        this.kind === 'partial'
          ? html`<wk-amount-input
              part="amount-input"
              exportparts="input: amount-field, label: amount-label, error: amount-error"
              name="amount"
              required
              .locale=${this.activeLocale}
              .currency=${currency}
              .label=${this.t('repay.amount', { currency })}
              .value=${this.amount}
              .error=${this.amountError}
              @wk-change=${(e: CustomEvent<{ value: Money | undefined; text: string }>) => {
                this.amount = e.detail.value;
                this.amountText = e.detail.text;
              }}
            ></wk-amount-input>`
          : nothing
      }
      <p part="payoff" class="muted">
        ${this.payoff ? this.t('repay.payoff', { amount: this.money(this.payoff.total) }) : ''}
      </p>
      <div class="actions">
        <button part="review-button" type="submit">${this.t('repay.review')}</button>
      </div>
    `;
  }

  #renderReview() {
    const loan = this.#loan;
    const from = this.accounts.find((a) => a.id === this.fromId);
    const payment = this.#payment;
    const amount = payment ? this.money(payment) : '';
    return html`
      <dl part="summary">
        <dt>${this.t('repay.loan')}</dt>
        <dd>${loan ? this.t('loan.number', { number: loan.loanNumber }) : this.selectedLoan}</dd>
        <dt>${this.t('repay.from')}</dt>
        <dd>${from ? this.#accountLabel(from) : this.fromId}</dd>
        <dt>${this.t('transactions.amount')}</dt>
        <dd>${amount}</dd>
      </dl>
      <div class="actions">
        <button part="edit-button" class="secondary" type="button" @click=${this.#edit}>${this.t('repay.edit')}</button>
        <button
          part="confirm-button"
          type="button"
          aria-busy=${this.busy ? 'true' : 'false'}
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.#confirm()}
        >
          ${this.busy ? this.t('repay.paying') : this.t('repay.confirm', { amount })}
        </button>
      </div>
    `;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    let body: unknown;
    if (this.loadError !== '' && this.loans === undefined) {
      body = html`<div class="actions">
        <button part="retry-button" class="secondary" type="button" @click=${() => this.#load()}>
          ${this.t('common.retry')}
        </button>
      </div>`;
    } else if (this.loans === undefined) {
      body = html`<p class="muted" role="status">${this.t('common.loading')}</p>`;
    } else if (this.step === 'review') {
      body = this.#renderReview();
    } else if (this.step === 'done') {
      body = html`<div class="actions">
        <button part="another-button" type="button" @click=${this.#another}>${this.t('repay.another')}</button>
      </div>`;
    } else {
      body = this.#renderEdit();
    }
    const error = this.loadError !== '' && this.loans === undefined ? this.loadError : this.formError;
    return html`
      <form part="base" novalidate aria-labelledby="title" @submit=${this.#review}>
        <h2 id="title" part="heading" tabindex="-1">${this.t('repay.title')}</h2>
        ${body}
        <p part="error" role="alert">${error}</p>
        <p part="status" role="status" aria-live="polite">${this.status}</p>
      </form>
    `;
  }
}
