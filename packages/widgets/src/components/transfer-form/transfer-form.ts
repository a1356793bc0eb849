import type { Money } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { WekezaElement } from '../../core/element.ts';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import type { Account, Transfer, TransferCreateParams } from '../../core/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { WkAmountInput } from '../amount-input/amount-input.ts';

const OTHER = '__other';
const PHONE = '__phone';
const ACCOUNT_ID = /^acc_[0-9A-Za-z_]{1,60}$/;
/** What the bank's resolver accepts: E.164, or a Kenyan mobile number as people write it. */
const PHONE_NUMBER = /^(\+[1-9][0-9]{7,14}|0[17][0-9]{8}|254[17][0-9]{8})$/;

/** A payee the customer may pick instead of typing a number (saved by the host, or sent to recently). */
export interface TransferPayee {
  phone: string;
  /** What to call them in the picker (the host's label, or the bank's masked name). */
  label?: string;
}

/** Numbers this page sent to, with the bank's masked name, most recent first (memory only, never stored). */
const recentPayees: Required<TransferPayee>[] = [];

/** The number without spaces, dashes or brackets people type. */
const compactPhone = (text: string) => text.replace(/[\s().-]/g, '');
/** The number in E.164 form, as the bank keeps it (`07…` and `2547…` are Kenyan). */
const e164 = (text: string) => {
  const phone = compactPhone(text);
  if (phone.startsWith('+')) return phone;
  if (phone.startsWith('254')) return `+${phone}`;
  return phone.startsWith('0') ? `+254${phone.slice(1)}` : phone;
};
/** A number shown without most of its digits: `•••• 678`. */
const maskedPhone = (phone: string) => `•••• ${compactPhone(phone).slice(-3)}`;

type Field = 'from' | 'to' | 'phone' | 'amount' | 'reference';
type Step = 'edit' | 'review' | 'done';

/** One user intent: the draft the customer reviewed and the Idempotency-Key that pays it at most once. */
interface Intent {
  signature: string;
  key: string;
  /** The last attempt with `key` certainly failed (4xx): the next confirm needs a fresh key. */
  spent: boolean;
}

/** Wire field paths of a `validation_failed` answer → form fields. */
const FIELD_OF_PATH: Record<string, Field> = {
  from_account_id: 'from',
  to_account_id: 'to',
  amount: 'amount',
  reference: 'reference',
};

/**
 * Sends money from one of the customer's accounts to another of theirs or to someone by phone
 * number, in three steps: edit (account pickers from `accounts.list`, a phone number or a
 * saved/recent payee, a `<wk-amount-input>`, a reference), review, done. A phone number is resolved
 * by the bank (`payees.resolve`) when the customer reviews: the review shows the recipient's name
 * as the bank holds it, masked ("Wanjiru K."), never an account id. Integrators who address
 * accounts by id may still do so: `to-account-id` naming another customer's account, or
 * `allow-account-id`, offers "Another account (enter its ID)". One Idempotency-Key per user intent: created when the customer reviews a draft and
 * reused for every confirm of that same draft (double clicks, retries after a network failure), so
 * the money moves at most once; a new key only after a definite refusal or a changed draft.
 * Errors are localized: `insufficient_funds`, `currency_mismatch`, `validation_failed` (per field),
 * `not_found`, network failures and more. `mfa_required` fires `wk-step-up-required`.
 *
 * @fires wk-ready - The accounts are loaded and the form is usable.
 * @fires wk-success - The transfer completed (detail: `{ kind: 'transfer', resource: Transfer, journalEntryId }`).
 * @fires wk-error - Loading or sending failed (detail: code, localized message, problem).
 * @fires wk-step-up-required - The server wants a one-time code; call `detail.retry(otp)`.
 *
 * @csspart base - The card (a `<form>`).
 * @csspart heading - The step title.
 * @csspart label - Each field label.
 * @csspart from-select - The from-account picker.
 * @csspart to-select - The to-account picker.
 * @csspart to-input - The recipient account ID input (when "another account" is picked).
 * @csspart phone-input - The recipient's phone number (when "someone by phone number" is picked).
 * @csspart payees - The saved and recent payees, one button each (`payee-button`).
 * @csspart payee-button - Picks a saved or recent payee's number.
 * @csspart recipient - The recipient's masked name in the review.
 * @csspart save-payee-button - After a send by phone: keeps the number as a saved payee at the bank.
 * @csspart amount-input - The `<wk-amount-input>` (its own parts: label, input, error).
 * @csspart reference-input - The reference input.
 * @csspart review-button - Goes to the review step.
 * @csspart summary - The review summary list.
 * @csspart confirm-button - Sends the money.
 * @csspart edit-button - Back to editing.
 * @csspart another-button - Starts a new transfer after success.
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
export class WkTransferForm extends WekezaElement {
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
      [part~='amount-input'] {
        margin-block-end: 0;
      }
      h2:focus {
        outline: none;
      }
      .hint {
        margin-block: calc(var(--_wk-space) * 1) 0;
        font-size: 0.875em;
      }
      .payees {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_wk-space) * 2);
        margin-block-start: calc(var(--_wk-space) * 2);
      }
      h2:focus-visible {
        outline: 3px solid var(--_wk-focus);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    fromAccountId: { type: String, attribute: 'from-account-id' },
    toAccountId: { type: String, attribute: 'to-account-id' },
    toPhone: { type: String, attribute: 'to-phone' },
    payByPhone: { type: Boolean, attribute: 'pay-by-phone' },
    allowAccountId: { type: Boolean, attribute: 'allow-account-id' },
    payees: { attribute: false },
    saved: { state: true },
    payeeSaved: { state: true },
    phone: { state: true },
    payee: { state: true },
    step: { state: true },
    accounts: { state: true },
    loadError: { state: true },
    fromId: { state: true },
    toChoice: { state: true },
    toOther: { state: true },
    amount: { state: true },
    amountText: { state: true },
    reference: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    status: { state: true },
    busy: { state: true },
    result: { state: true },
  };

  /** Preselects the account to send from (default: the first wallet). */
  declare fromAccountId: string | undefined;
  /** Prefills the recipient: one of the customer's accounts or (for integrators) any account ID. */
  declare toAccountId: string | undefined;
  /** Prefills the recipient's phone number (and picks "someone by phone number"). */
  declare toPhone: string | undefined;
  /** Starts with "someone by phone number" picked rather than one of the customer's accounts. */
  declare payByPhone: boolean;
  /** Also offers "Another account (enter its ID)", for integrators that address accounts by id. */
  declare allowAccountId: boolean;
  /** Saved payees from the host, offered beside the numbers sent to recently on this page. */
  declare payees: TransferPayee[];
  /** The customer's saved payees at the bank (`payees.list`), when the session may read them. */
  declare private saved: TransferPayee[];
  /** After a send by phone: whether that number is (now) a saved payee. */
  declare private payeeSaved: boolean;
  declare private phone: string;
  /** The bank's answer for `phone`, once reviewed. */
  declare private payee: { phone: string; accountId: string; displayName: string } | undefined;
  declare private step: Step;
  declare private accounts: Account[] | undefined;
  declare private loadError: string;
  declare private fromId: string;
  declare private toChoice: string;
  declare private toOther: string;
  declare private amount: Money | undefined;
  declare private amountText: string;
  declare private reference: string;
  declare private fieldErrors: Partial<Record<Field, string>>;
  declare private formError: string;
  declare private status: string;
  declare private busy: boolean;
  declare private result: Transfer | undefined;

  #intent: Intent | undefined;
  #loadedFor: unknown[] = [];
  #generation = 0;

  constructor() {
    super();
    this.step = 'edit';
    this.accounts = undefined;
    this.loadError = '';
    this.fromId = '';
    this.toChoice = '';
    this.toOther = '';
    this.toPhone = undefined;
    this.payByPhone = false;
    this.allowAccountId = false;
    this.payees = [];
    this.saved = [];
    this.payeeSaved = false;
    this.phone = '';
    this.payee = undefined;
    this.amount = undefined;
    this.amountText = '';
    this.reference = '';
    this.fieldErrors = {};
    this.formError = '';
    this.status = '';
    this.busy = false;
    this.result = undefined;
    // Keep the element referenced so bundlers never drop the inner input's class.
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
      void this.#loadAccounts();
    }
  }

  async #loadAccounts(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.loadError = this.reportError(undefined, 'no_client').message;
      return;
    }
    try {
      const page = await client.accounts.list({ limit: 100 });
      if (generation !== this.#generation) return;
      const accounts = page.data.filter((account) => account.status === 'open');
      const first = this.accounts === undefined;
      this.accounts = accounts;
      this.loadError = '';
      if (first) this.#preselect(accounts);
      this.markReady();
      void this.#loadSaved();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.loadError = this.reportError(error).message;
    }
  }

  /** Saved payees are a convenience: a session that may not read them simply has none. */
  async #loadSaved(): Promise<void> {
    const client = this.activeClient;
    if (!client?.payees?.list) return;
    try {
      const page = await client.payees.list({ limit: 50 });
      this.saved = page.data.map((p) => ({ phone: p.phone, label: p.label ?? p.displayName }));
    } catch {
      this.saved = [];
    }
  }

  /** After a send by phone: keeps the number as a saved payee at the bank. */
  async #savePayee(): Promise<void> {
    const client = this.activeClient;
    const payee = this.payee;
    if (!client || !payee || this.busy) return;
    this.busy = true;
    try {
      await client.payees.create({ phone: payee.phone });
      this.payeeSaved = true;
      this.status = this.t('transfer.payeeSaved', { name: payee.displayName });
      await this.#loadSaved();
    } catch (error) {
      this.formError = this.reportError(error).message;
    } finally {
      this.busy = false;
    }
  }

  #preselect(accounts: Account[]): void {
    const from =
      accounts.find((a) => a.id === this.fromAccountId) ??
      accounts.find((a) => a.type === 'wallet') ??
      accounts[0];
    this.fromId = from?.id ?? '';
    if (this.toPhone) {
      this.toChoice = PHONE;
      this.phone = this.toPhone;
    } else if (this.toAccountId) {
      const own = accounts.some((a) => a.id === this.toAccountId && a.id !== this.fromId);
      this.toChoice = own ? this.toAccountId : OTHER;
      this.toOther = own ? '' : this.toAccountId;
    } else {
      this.toChoice = this.payByPhone ? PHONE : (accounts.find((a) => a.id !== this.fromId)?.id ?? PHONE);
    }
  }

  /** "Another account (enter its ID)" is for integrators only: asked for, or an id handed in. */
  get #offersAccountId(): boolean {
    return this.allowAccountId || this.toChoice === OTHER;
  }

  get #from(): Account | undefined {
    return this.accounts?.find((a) => a.id === this.fromId);
  }

  get #toId(): string {
    if (this.toChoice === PHONE) return this.payee?.accountId ?? '';
    return this.toChoice === OTHER ? this.toOther.trim() : this.toChoice;
  }

  /** Who receives, in words a customer can check: the masked name, an own account, or the id typed. */
  get #recipientText(): string {
    if (this.toChoice === PHONE)
      return this.payee ? `${this.payee.displayName} (${maskedPhone(this.payee.phone)})` : '';
    const own = this.accounts?.find((a) => a.id === this.toChoice);
    return own ? this.#accountLabel(own) : this.#toId;
  }

  #accountLabel(account: Account): string {
    return this.t('account.option', {
      type: this.t(`account.${account.type}` as MessageKey),
      // The last characters tell two accounts apart; the internal id is not for a customer's eyes.
      id: `••${account.id.slice(-4)}`,
      available: this.money(account.balance.available),
    });
  }

  #validate(): Partial<Record<Field, string>> {
    const errors: Partial<Record<Field, string>> = {};
    const from = this.#from;
    if (!from) errors.from = this.t('field.from.required');
    if (this.toChoice === PHONE) {
      const phone = compactPhone(this.phone);
      if (phone === '') errors.phone = this.t('field.phone.required');
      else if (!PHONE_NUMBER.test(phone)) errors.phone = this.t('field.phone.invalid');
    } else {
      const to = this.#toId;
      if (to === '') errors.to = this.t('field.to.required');
      else if (!ACCOUNT_ID.test(to)) errors.to = this.t('field.to.invalid');
      else if (to === this.fromId) errors.to = this.t('field.to.same');
    }
    if (this.amount === undefined) {
      errors.amount =
        this.amountText.trim() === '' ? this.t('field.amount.required') : this.t('field.amount.invalid');
    } else if (!this.amount.isPositive()) {
      errors.amount = this.t('field.amount.positive');
    }
    if (this.reference.trim().length > 140) errors.reference = this.t('field.reference.long');
    return errors;
  }

  #params(): TransferCreateParams {
    const reference = this.reference.trim();
    return {
      fromAccountId: this.fromId,
      toAccountId: this.#toId,
      amount: this.amount as Money,
      ...(reference !== '' ? { reference } : {}),
    };
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus();
  }

  /** Edit → review: validates, then starts (or keeps) the intent and its Idempotency-Key. */
  async #review(event: Event): Promise<void> {
    event.preventDefault();
    if (this.step !== 'edit' || this.busy) return;
    this.formError = '';
    this.fieldErrors = this.#validate();
    if (Object.keys(this.fieldErrors).length > 0) {
      this.formError = this.t('error.validation_failed');
      await this.#focus('[aria-invalid="true"]');
      return;
    }
    if (this.toChoice === PHONE && !(await this.#resolvePhone())) return;
    const params = this.#params();
    const signature = JSON.stringify({ ...params, amount: params.amount.toJSON() });
    if (this.#intent === undefined || this.#intent.signature !== signature) {
      this.#intent = { signature, key: newIdempotencyKey(), spent: false };
    }
    this.step = 'review';
    await this.#focus('h2');
  }

  /**
   * Asks the bank whom the number pays (once per number: a changed number asks again). A number
   * that pays nobody is a field error; being limited or offline is a form error.
   */
  async #resolvePhone(): Promise<boolean> {
    const phone = e164(this.phone);
    if (this.payee?.phone === phone) return true;
    const client = this.activeClient;
    if (!client) {
      this.formError = this.reportError(undefined, 'no_client').message;
      return false;
    }
    this.busy = true;
    this.status = this.t('transfer.resolving');
    try {
      const found = await client.payees.resolve(phone);
      if (e164(this.phone) !== phone) return false;
      this.payee = { phone, ...found };
      this.status = '';
      return true;
    } catch (error) {
      this.status = '';
      const reported = this.reportError(error);
      if (reported.code === 'not_found' || reported.code === 'validation_failed') {
        this.fieldErrors = { ...this.fieldErrors, phone: this.t('field.phone.unknown') };
        this.formError = this.t('error.validation_failed');
        await this.#focus('[aria-invalid="true"]');
      } else {
        this.formError = reported.message;
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  #pickPayee(phone: string): void {
    this.phone = phone;
    this.fieldErrors = { ...this.fieldErrors, phone: undefined };
    void this.#focus('[part="phone-input"]');
  }

  #edit(): void {
    if (this.busy) return;
    this.step = 'edit';
    this.formError = '';
    this.status = '';
    void this.#focus('select, input');
  }

  /** Sends the reviewed transfer with the intent's key; a second click while in flight does nothing. */
  async #confirm(otp?: string): Promise<void> {
    const client = this.activeClient;
    const intent = this.#intent;
    if (this.busy || this.step !== 'review' || !client || !intent) return;
    this.busy = true;
    if (intent.spent) {
      intent.key = newIdempotencyKey();
      intent.spent = false;
    }
    this.formError = '';
    this.status = this.t('transfer.sending');
    try {
      const params = this.#params();
      const transfer = await client.transfers.create(otp === undefined ? params : { ...params, otp }, {
        idempotencyKey: intent.key,
      });
      this.#intent = undefined;
      this.result = transfer;
      this.step = 'done';
      const payee = this.toChoice === PHONE ? this.payee : undefined;
      const own = this.accounts?.find((a) => a.id === transfer.toAccountId);
      this.status = this.t('transfer.success', {
        amount: this.money(transfer.amount),
        to: payee
          ? payee.displayName
          : own
            ? `${this.t(`account.${own.type}` as MessageKey)} ••${own.id.slice(-4)}`
            : transfer.toAccountId,
      });
      this.payeeSaved = payee !== undefined && this.saved.some((p) => e164(p.phone) === payee.phone);
      if (payee) {
        const seen = recentPayees.findIndex((p) => p.phone === payee.phone);
        if (seen >= 0) recentPayees.splice(seen, 1);
        recentPayees.unshift({ phone: payee.phone, label: payee.displayName });
        recentPayees.splice(5);
      }
      this.busy = false;
      this.emit('wk-success', {
        kind: 'transfer',
        resource: transfer,
        journalEntryId: transfer.journalEntryId,
        ...(payee ? { recipientName: payee.displayName } : {}),
      });
      await this.#focus('h2');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      this.#showFailure(error);
    }
  }

  #showFailure(error: unknown): void {
    const described = describeError(error);
    if (described.code === 'mfa_required' && described.problem) {
      this.status = this.t('transfer.stepUp');
      this.emit('wk-step-up-required', {
        problem: described.problem,
        retry: (otp: string) => this.#confirm(otp),
        cancel: () => {
          this.status = '';
        },
      });
      return;
    }
    const reported = this.reportError(error);
    if (described.code === 'validation_failed') {
      const fields: Partial<Record<Field, string>> = {};
      for (const [path, message] of Object.entries(described.fields)) {
        const field = FIELD_OF_PATH[path];
        if (field) fields[field] ??= message;
      }
      if (Object.keys(fields).length > 0) {
        this.fieldErrors = fields;
        this.step = 'edit';
        this.formError = reported.message;
        void this.#focus('[aria-invalid="true"]');
        return;
      }
    }
    this.formError = reported.requestId
      ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
      : reported.message;
  }

  #another(): void {
    this.step = 'edit';
    this.phone = '';
    this.payee = undefined;
    this.amount = undefined;
    this.amountText = '';
    this.reference = '';
    this.result = undefined;
    this.status = '';
    this.fieldErrors = {};
    void this.#focus('select');
  }

  #onFrom(event: Event): void {
    this.fromId = (event.target as HTMLSelectElement).value;
    if (this.toChoice === this.fromId) {
      this.toChoice = this.accounts?.find((a) => a.id !== this.fromId)?.id ?? OTHER;
    }
    this.fieldErrors = { ...this.fieldErrors, from: undefined };
  }

  #onTo(event: Event): void {
    this.toChoice = (event.target as HTMLSelectElement).value;
    this.fieldErrors = { ...this.fieldErrors, to: undefined, phone: undefined };
  }

  #renderPhone() {
    const errors = this.fieldErrors;
    const known = new Set(recentPayees.map((r) => r.phone));
    const others = [...this.saved, ...this.payees].filter((p) => {
      const phone = e164(p.phone);
      if (known.has(phone)) return false;
      known.add(phone);
      return true;
    });
    const choices = [...recentPayees, ...others].slice(0, 8);
    return html`<label part="label" for="phone" class="sub-label">${this.t('transfer.phone')}</label>
      <input
        id="phone"
        part="phone-input"
        type="tel"
        inputmode="tel"
        autocomplete="off"
        placeholder=${this.t('transfer.phonePlaceholder')}
        .value=${this.phone}
        aria-invalid=${errors.phone ? 'true' : 'false'}
        aria-describedby=${errors.phone ? 'phone-error' : 'phone-hint'}
        @input=${(e: Event) => {
          this.phone = (e.target as HTMLInputElement).value;
          this.fieldErrors = { ...this.fieldErrors, phone: undefined };
        }}
      />
      ${
        errors.phone
          ? html`<p id="phone-error" class="field-error">${errors.phone}</p>`
          : html`<p id="phone-hint" class="muted hint">${this.t('transfer.phoneHint')}</p>`
      }
      ${
        choices.length > 0
          ? html`<div part="payees" role="group" aria-label=${this.t('transfer.payees')} class="payees">
              ${choices.map(
                (p) =>
                  html`<button
                    part="payee-button"
                    class="secondary"
                    type="button"
                    @click=${() => this.#pickPayee(p.phone)}
                  >
                    ${p.label ? `${p.label} · ` : ''}${maskedPhone(p.phone)}
                  </button>`,
              )}
            </div>`
          : nothing
      }`;
  }

  #renderEdit() {
    const accounts = this.accounts ?? [];
    const from = this.#from;
    const errors = this.fieldErrors;
    if (this.accounts !== undefined && accounts.length === 0) {
      return html`<p class="muted">${this.t('transfer.noAccounts')}</p>`;
    }
    return html`
      <div class="field">
        <label part="label" for="from">${this.t('transfer.from')}</label>
        <select
          id="from"
          part="from-select"
          .value=${this.fromId}
          aria-invalid=${errors.from ? 'true' : 'false'}
          aria-describedby=${errors.from ? 'from-error' : nothing}
          @change=${this.#onFrom}
        >
          ${accounts.map(
            (a) =>
              html`<option value=${a.id} ?selected=${a.id === this.fromId}>${this.#accountLabel(a)}</option>`,
          )}
        </select>
        ${errors.from ? html`<p id="from-error" class="field-error">${errors.from}</p>` : nothing}
      </div>
      <div class="field">
        <label part="label" for="to">${this.t('transfer.to')}</label>
        <select
          id="to"
          part="to-select"
          aria-invalid=${errors.to && this.toChoice !== OTHER ? 'true' : 'false'}
          aria-describedby=${errors.to && this.toChoice !== OTHER ? 'to-error' : nothing}
          @change=${this.#onTo}
        >
          ${accounts
            .filter((a) => a.id !== this.fromId)
            .map(
              (a) =>
                html`<option value=${a.id} ?selected=${a.id === this.toChoice}>${this.#accountLabel(a)}</option>`,
            )}
          <option value=${PHONE} ?selected=${this.toChoice === PHONE}>${this.t('transfer.toPhone')}</option>
          ${
            this.#offersAccountId
              ? html`<option value=${OTHER} ?selected=${this.toChoice === OTHER}>${this.t('transfer.toOther')}</option>`
              : nothing
          }
        </select>
        ${this.toChoice === PHONE ? this.#renderPhone() : nothing}
        ${
          this.toChoice === OTHER
            ? html`<label part="label" for="to-id" class="sub-label">${this.t('transfer.toId')}</label>
                <input
                  id="to-id"
                  part="to-input"
                  type="text"
                  autocomplete="off"
                  spellcheck="false"
                  placeholder="acc_…"
                  .value=${this.toOther}
                  aria-invalid=${errors.to ? 'true' : 'false'}
                  aria-describedby=${errors.to ? 'to-error' : nothing}
                  @input=${(e: Event) => {
                    this.toOther = (e.target as HTMLInputElement).value;
                  }}
                />`
            : nothing
        }
        ${errors.to ? html`<p id="to-error" class="field-error">${errors.to}</p>` : nothing}
      </div>
      <wk-amount-input
        part="amount-input"
        exportparts="input: amount-field, label: amount-label, error: amount-error"
        name="amount"
        required
        .locale=${this.activeLocale}
        .currency=${from?.currency ?? 'KES'}
        .label=${this.t('transfer.amount', { currency: from?.currency ?? 'KES' })}
        .value=${this.amount}
        .error=${errors.amount ?? ''}
        @wk-change=${(e: CustomEvent<{ value: Money | undefined; text: string }>) => {
          this.amount = e.detail.value;
          this.amountText = e.detail.text;
        }}
      ></wk-amount-input>
      <div class="field">
        <label part="label" for="reference">${this.t('transfer.reference')}</label>
        <input
          id="reference"
          part="reference-input"
          type="text"
          maxlength="140"
          autocomplete="off"
          .value=${this.reference}
          aria-invalid=${errors.reference ? 'true' : 'false'}
          aria-describedby=${errors.reference ? 'reference-error' : nothing}
          @input=${(e: Event) => {
            this.reference = (e.target as HTMLInputElement).value;
          }}
        />
        ${errors.reference ? html`<p id="reference-error" class="field-error">${errors.reference}</p>` : nothing}
      </div>
      <div class="actions">
        <button part="review-button" type="submit">${this.t('transfer.review')}</button>
      </div>
    `;
  }

  #renderReview() {
    const from = this.#from;
    const amount = this.amount ? this.money(this.amount) : '';
    return html`
      <dl part="summary">
        <dt>${this.t('transfer.from')}</dt>
        <dd>${from ? this.#accountLabel(from) : this.fromId}</dd>
        <dt>${this.t('transfer.to')}</dt>
        <dd part="recipient">${this.#recipientText}</dd>
        <dt>${this.t('transactions.amount')}</dt>
        <dd>${amount}</dd>
        <dt>${this.t('transfer.reference')}</dt>
        <dd>${this.reference.trim() || this.t('transfer.none')}</dd>
      </dl>
      <div class="actions">
        <button part="edit-button" class="secondary" type="button" @click=${this.#edit}>${this.t('transfer.edit')}</button>
        <button
          part="confirm-button"
          type="button"
          aria-busy=${this.busy ? 'true' : 'false'}
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.#confirm()}
        >
          ${this.busy ? this.t('transfer.sending') : this.t('transfer.confirm', { amount })}
        </button>
      </div>
    `;
  }

  #renderDone() {
    const payee = this.toChoice === PHONE ? this.payee : undefined;
    return html`<div class="actions">
      <button part="another-button" type="button" @click=${this.#another}>${this.t('transfer.another')}</button>
      ${
        payee && !this.payeeSaved
          ? html`<button part="save-payee-button" class="secondary" type="button" @click=${() => this.#savePayee()}>
              ${this.t('transfer.savePayee', { name: payee.displayName })}
            </button>`
          : nothing
      }
    </div>`;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const title =
      this.step === 'review'
        ? this.t('transfer.reviewTitle')
        : this.step === 'done'
          ? this.t('transfer.title')
          : this.t('transfer.title');
    let body: unknown;
    if (this.loadError !== '' && this.accounts === undefined) {
      body = html`<div class="actions">
        <button part="retry-button" class="secondary" type="button" @click=${() => this.#loadAccounts()}>
          ${this.t('common.retry')}
        </button>
      </div>`;
    } else if (this.accounts === undefined) {
      body = html`<p class="muted" role="status">${this.t('common.loading')}</p>`;
    } else {
      body =
        this.step === 'edit'
          ? this.#renderEdit()
          : this.step === 'review'
            ? this.#renderReview()
            : this.#renderDone();
    }
    const error = this.loadError !== '' && this.accounts === undefined ? this.loadError : this.formError;
    return html`
      <form part="base" novalidate aria-labelledby="title" @submit=${this.#review}>
        <h2 id="title" part="heading" tabindex="-1">${title}</h2>
        ${body}
        <p part="error" role="alert">${error}</p>
        <p part="status" role="status" aria-live="polite">${this.status}</p>
      </form>
    `;
  }
}
