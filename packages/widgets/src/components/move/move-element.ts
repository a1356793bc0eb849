import type { Money } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { WekezaElement } from '../../core/element.ts';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import { type Movement, type MovementKind, MovementWatch } from '../../core/movement.ts';
import type { WidgetClient } from '../../core/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { WkAmountInput } from '../amount-input/amount-input.ts';
import { findWalletId } from '../wallet-balance/wallet-balance.ts';

/** A Kenyan mobile number as M-Pesa takes it: `+2547…`, `2547…`, `07…` or `01…` (spaces and dashes ignored). */
export function normalizeKenyanPhone(text: string): string | undefined {
  const compact = text.replace(/[\s-]/g, '');
  return /^(\+?254|0)[17][0-9]{8}$/.test(compact) ? compact : undefined;
}

/** True when `amount` is whole shillings (M-Pesa moves no cents). */
export function isWholeShillings(amount: Money): boolean {
  return amount.minor % 100n === 0n;
}

export type MoveStep = 'edit' | 'otp' | 'pending' | 'succeeded' | 'failed';

/** One user intent: the request the customer sent and the Idempotency-Key that moves it at most once. */
interface Intent {
  signature: string;
  key: string;
  /** The last attempt with `key` certainly failed (4xx): the next send needs a fresh key. */
  spent: boolean;
}

/**
 * What `<wk-deposit>` and `<wk-withdraw>` share: the wallet to move money in or out of, an amount
 * in whole shillings, one Idempotency-Key per intent (reused for every send of the same request,
 * so double clicks and retries after a network failure move the money at most once), and, once
 * the bank took the request, its live status — followed on the shared event stream, or by polling
 * when the stream is unavailable — until it succeeds or fails. The watch stops when the element
 * leaves the page.
 */
export abstract class MoveElement<M extends Movement> extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      h2:focus {
        outline: none;
      }
      h2:focus-visible {
        outline: 3px solid var(--_wk-focus);
      }
      [part~='amount-input'] {
        display: block;
        margin-block-end: calc(var(--_wk-space) * 4);
      }
      [part~='progress'] {
        display: flex;
        gap: calc(var(--_wk-space) * 2);
        align-items: center;
      }
      [part~='spinner'] {
        inline-size: 1.25em;
        block-size: 1.25em;
        border-radius: 50%;
        border: 3px solid var(--_wk-border);
        border-block-start-color: var(--_wk-primary);
        animation: wk-spin 1s linear infinite;
        flex: none;
      }
      @media (prefers-reduced-motion: reduce) {
        [part~='spinner'] {
          animation: none;
        }
      }
      @keyframes wk-spin {
        to {
          transform: rotate(360deg);
        }
      }
      [part~='live-status'] {
        font-weight: 600;
      }
      [part~='live-status'][data-status='failed'] {
        color: var(--_wk-danger);
      }
      [part~='live-status'][data-status='succeeded'] {
        color: var(--_wk-success);
      }
      .hint {
        color: var(--_wk-muted);
        margin-block: var(--_wk-space) 0;
        font-size: 0.9em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    accountId: { type: String, attribute: 'account-id' },
    step: { state: true },
    amount: { state: true },
    amountText: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    busy: { state: true },
    movement: { state: true },
  };

  /** The account to move money into or out of; by default the signed-in customer's wallet. */
  declare accountId: string | undefined;
  declare protected step: MoveStep;
  declare protected amount: Money | undefined;
  declare protected amountText: string;
  declare protected fieldErrors: Record<string, string | undefined>;
  declare protected formError: string;
  declare protected busy: boolean;
  declare protected movement: M | undefined;

  protected abstract readonly kind: MovementKind;
  #intent: Intent | undefined;
  #watch: MovementWatch | undefined;

  constructor() {
    super();
    this.step = 'edit';
    this.amount = undefined;
    this.amountText = '';
    this.fieldErrors = {};
    this.formError = '';
    this.busy = false;
    this.movement = undefined;
    // Keep the element referenced so bundlers never drop the inner input's class.
    void WkAmountInput;
  }

  /** The Idempotency-Key of the current intent (undefined before the first send); for tests and logging. */
  get idempotencyKey(): string | undefined {
    return this.#intent?.key;
  }

  /** The request being followed (or the last one), as the bank last told it. */
  get current(): M | undefined {
    return this.movement;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page while a request is still pending: follow it again.
    const client = this.activeClient;
    if (this.movement?.status === 'pending' && client && this.#watch === undefined) this.#follow(client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#watch?.stop();
    this.#watch = undefined;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    if (this.messages !== undefined && !this.clientPending) this.markReady();
  }

  /** The fields' own checks; answers errors by field name. */
  protected abstract validate(): Record<string, string>;
  /** The request body (without the otp), used as the intent's signature too. */
  protected abstract params(accountId: string): Record<string, unknown>;
  /** Sends the request with the intent's key. */
  protected abstract create(
    client: WidgetClient,
    params: Record<string, unknown>,
    key: string,
    otp: string | undefined,
  ): Promise<M>;
  /** Wire field paths of a `validation_failed` answer → form fields. */
  protected abstract fieldOf(path: string): string | undefined;

  protected amountError(): string | undefined {
    if (this.amount === undefined) {
      return this.amountText.trim() === '' ? this.t('field.amount.required') : this.t('field.amount.invalid');
    }
    if (!this.amount.isPositive()) return this.t('field.amount.positive');
    return undefined;
  }

  protected async focusInside(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus();
  }

  /** Validates and sends (once per intent, however often it is clicked). */
  protected async submit(event?: Event): Promise<void> {
    event?.preventDefault();
    if (this.busy || this.step !== 'edit') return;
    this.formError = '';
    const errors = this.validate();
    this.fieldErrors = errors;
    if (Object.keys(errors).length > 0) {
      this.formError = this.t('error.validation_failed');
      await this.focusInside('[aria-invalid="true"]');
      return;
    }
    await this.send(undefined);
  }

  protected async send(otp: string | undefined): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.formError = '';
    try {
      // The provider may still be preparing its client (mock mode loads lazily): wait for it.
      const client = await this.whenClient();
      if (!client) {
        this.formError = this.reportError(undefined, 'no_client').message;
        return;
      }
      let accountId: string | undefined;
      try {
        accountId = this.accountId || (await findWalletId(client));
      } catch (error) {
        this.#showFailure(error);
        return;
      }
      if (accountId === undefined) {
        this.formError = this.t('balance.noWallet');
        return;
      }
      const params = this.params(accountId);
      // Money serialises itself (toJSON): the signature is the request as sent.
      const signature = JSON.stringify(params);
      if (this.#intent === undefined || this.#intent.signature !== signature || this.#intent.spent) {
        this.#intent = { signature, key: newIdempotencyKey(), spent: false };
      }
      const intent = this.#intent;
      try {
        const movement = await this.create(client, params, intent.key, otp);
        // Settled or not, this intent is done: the next request is a new one.
        this.#intent = undefined;
        this.#show(movement, 'request');
        if (movement.status === 'pending') this.#follow(client);
        await this.focusInside('h2');
      } catch (error) {
        if (isDefinitiveFailure(error)) intent.spent = true;
        this.#showFailure(error);
      }
    } finally {
      this.busy = false;
    }
  }

  #follow(client: WidgetClient): void {
    const movement = this.movement;
    if (!movement) return;
    this.#watch?.stop();
    this.#watch = new MovementWatch({
      client,
      kind: this.kind,
      id: movement.id,
      onUpdate: (updated, via) => {
        if (updated.id !== this.movement?.id) return;
        const changed = updated.status !== this.movement.status;
        this.#show(updated as M, via);
        if (changed) void this.focusInside('h2');
      },
    });
    this.#watch.start();
  }

  #show(movement: M, via: 'request' | 'stream' | 'poll'): void {
    const before = this.movement?.id === movement.id ? this.movement.status : undefined;
    this.movement = movement;
    this.step = movement.status;
    if (before === movement.status) return;
    this.emit('wk-status', { kind: this.kind, resource: movement, status: movement.status, via });
    if (movement.status === 'succeeded') {
      this.emit(
        'wk-success',
        this.kind === 'deposit'
          ? { kind: 'deposit', resource: movement as never }
          : { kind: 'withdrawal', resource: movement as never },
      );
    }
  }

  #showFailure(error: unknown): void {
    const described = describeError(error);
    if (described.code === 'mfa_required' && described.problem && this.stepUp(described.problem)) return;
    const reported = this.reportError(error);
    if (described.code === 'validation_failed') {
      const fields: Record<string, string> = {};
      for (const issue of described.problem?.errors ?? []) {
        const field = this.fieldOf(issue.path);
        if (field) fields[field] ??= field === 'amount' ? this.#amountIssue(issue.message) : issue.message;
      }
      if (Object.keys(fields).length > 0) {
        this.fieldErrors = fields;
        this.step = 'edit';
        this.formError = reported.message;
        void this.focusInside('[aria-invalid="true"]');
        return;
      }
    }
    this.formError = reported.requestId
      ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
      : reported.message;
  }

  /** The server's amount message, in the customer's language when it is the whole-shillings rule. */
  #amountIssue(message: string): string {
    return /whole|cents|shilling/i.test(message) ? this.t('move.wholeShillings') : message;
  }

  /** `mfa_required`: answers true when the widget handles it (the withdraw form asks for a code). */
  protected stepUp(_problem: NonNullable<ReturnType<typeof describeError>['problem']>): boolean {
    return false;
  }

  /** Back to the form (after a failure, or for another request), keeping what was typed. */
  protected again(clear: boolean): void {
    this.#watch?.stop();
    this.#watch = undefined;
    this.step = 'edit';
    this.formError = '';
    this.fieldErrors = {};
    if (clear) {
      this.amount = undefined;
      this.amountText = '';
      this.movement = undefined;
    }
    void this.focusInside('input, wk-amount-input');
  }

  protected failureText(movement: M): string {
    const reason = movement.failureReason ?? '';
    const key = `move.reason.${reason}` as MessageKey;
    return this.messages?.[key] !== undefined ? this.t(key) : this.t('move.reason.other', { reason });
  }

  protected renderAmount(label: string, hint?: string): TemplateResult {
    return html`<wk-amount-input
      part="amount-input"
      exportparts="input: amount-field, label: amount-label, error: amount-error"
      name="amount"
      required
      .locale=${this.activeLocale}
      currency="KES"
      .label=${label}
      .hint=${hint ?? ''}
      .value=${this.amount}
      .error=${this.fieldErrors.amount ?? ''}
      @wk-change=${(e: CustomEvent<{ value: Money | undefined; text: string }>) => {
        this.amount = e.detail.value;
        this.amountText = e.detail.text;
        this.fieldErrors = { ...this.fieldErrors, amount: undefined };
      }}
    ></wk-amount-input>`;
  }

  protected renderText(
    id: string,
    part: string,
    label: string,
    value: string,
    set: (value: string) => void,
    extra: { autocomplete?: string; inputmode?: string; hint?: string; type?: string } = {},
  ): TemplateResult {
    const error = this.fieldErrors[id];
    const described = [error ? `${id}-error` : '', extra.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label part="label" for=${id}>${label}</label>
      <input
        id=${id}
        part=${part}
        type=${extra.type ?? 'text'}
        inputmode=${extra.inputmode ?? nothing}
        autocomplete=${extra.autocomplete ?? 'off'}
        spellcheck="false"
        .value=${value}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${described || nothing}
        @input=${(e: Event) => {
          set((e.target as HTMLInputElement).value);
          this.fieldErrors = { ...this.fieldErrors, [id]: undefined };
        }}
      />
      ${extra.hint ? html`<p id="${id}-hint" class="hint">${extra.hint}</p>` : nothing}
      ${error ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  /** The pending / succeeded / failed panel: a polite live region with the status as it changes. */
  protected renderProgress(text: string): TemplateResult {
    const movement = this.movement;
    const status = movement?.status ?? 'pending';
    return html`
      ${
        status === 'pending'
          ? html`<div part="progress"><span part="spinner" aria-hidden="true"></span><p part="message">${text}</p></div>`
          : html`<p part="message">${text}</p>`
      }
      <p part="live-status ${status}" data-status=${status}>
        ${this.t('move.live', { status: this.t(`move.status.${status}` as MessageKey) })}
      </p>
      ${
        status === 'pending'
          ? nothing
          : html`<div class="actions">
              <button part="again-button" type="button" @click=${() => this.again(status === 'succeeded')}>
                ${status === 'failed' ? this.t('move.tryAgain') : this.t('move.again')}
              </button>
            </div>`
      }
    `;
  }
}
