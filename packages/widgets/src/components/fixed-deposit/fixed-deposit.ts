import type { Money } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { formatRate } from '../../core/borrow.ts';
import { WekezaElement } from '../../core/element.ts';
import { isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import type { Account, CloseQuote, DepositQuote, SavingsProduct } from '../../core/types.ts';
import { WkAmountInput } from '../amount-input/amount-input.ts';

type View =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; wallet: Account | undefined; deposits: Account[]; products: SavingsProduct[] };

/** What the customer is doing: choosing terms, checking a quote before opening, or an early close. */
type Step =
  | { name: 'edit' }
  | { name: 'quote'; quote: DepositQuote }
  | { name: 'close'; account: Account; quote: CloseQuote };

interface Intent {
  signature: string;
  key: string;
  spent: boolean;
}

/**
 * Fixed deposits: the customer's deposits (amount, rate, term, maturity date and amount, interest so
 * far) and opening a new one — product, term, amount from the wallet and what happens at maturity;
 * the bank's deposit quote (maturity date, gross interest, withholding tax, amount at maturity) is
 * shown before anything is opened. An early close first shows the bank's close quote (the interest
 * given up, the interest kept, the tax and what reaches the wallet) and closes only when confirmed.
 * One Idempotency-Key per intent.
 *
 * @fires wk-ready - The deposits and products are shown.
 * @fires wk-success - `{ kind: 'fixed-deposit-opened', resource: Account }` or `{ kind: 'fixed-deposit-closed', resource: AccountClosure }`.
 * @fires wk-error - Loading, quoting or acting failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart deposit - Each deposit (a list item).
 * @csspart close-button - "Close early" on a deposit.
 * @csspart product-select - The product picker.
 * @csspart term-select - The term picker.
 * @csspart amount-input - The `<wk-amount-input>`.
 * @csspart at-maturity - The pay out / roll over picker.
 * @csspart review-button - Asks the bank for the quote.
 * @csspart quote - The deposit quote or the close quote (a definition list).
 * @csspart confirm-button - Opens the deposit or closes it.
 * @csspart edit-button - Back (keep the deposit, or change the terms).
 * @csspart retry-button - Loads again after an error.
 * @csspart status - The polite live region.
 * @csspart error - The error (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons.
 * @cssprop --wk-color-surface - Inputs.
 * @cssprop --wk-color-border - Borders.
 * @cssprop --wk-color-danger - Errors and the interest given up.
 */
export class WkFixedDeposit extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      ul {
        list-style: none;
        margin: 0 0 calc(var(--_wk-space) * 4);
        padding: 0;
        display: grid;
        gap: calc(var(--_wk-space) * 3);
      }
      li {
        border: 1px solid var(--_wk-border);
        border-radius: var(--_wk-radius);
        padding: calc(var(--_wk-space) * 3);
      }
      dl {
        display: grid;
        grid-template-columns: 1fr max-content;
        gap: calc(var(--_wk-space) * 1) calc(var(--_wk-space) * 4);
        margin: calc(var(--_wk-space) * 2) 0;
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .strong {
        font-weight: 600;
      }
      .forfeit {
        color: var(--_wk-danger);
      }
      h2:focus,
      h3:focus {
        outline: none;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    view: { state: true },
    step: { state: true },
    productId: { state: true },
    term: { state: true },
    atMaturity: { state: true },
    amount: { state: true },
    amountText: { state: true },
    amountError: { state: true },
    formError: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  declare private view: View;
  declare private step: Step;
  declare private productId: string;
  declare private term: number;
  declare private atMaturity: 'pay_out' | 'roll_over';
  declare private amount: Money | undefined;
  declare private amountText: string;
  declare private amountError: string;
  declare private formError: string;
  declare private status: string;
  declare private busy: boolean;

  #intent: Intent | undefined;
  #loadedFor: unknown[] = [];
  #generation = 0;

  constructor() {
    super();
    this.view = { state: 'loading' };
    this.step = { name: 'edit' };
    this.productId = '';
    this.term = 0;
    this.atMaturity = 'pay_out';
    this.amount = undefined;
    this.amountText = '';
    this.amountError = '';
    this.formError = '';
    this.status = '';
    this.busy = false;
    void WkAmountInput;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient, this.environment?.revision];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.view = { state: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    try {
      const [accounts, products] = await Promise.all([
        client.accounts.list({ limit: 100 }),
        client.savingsProducts.list({ limit: 100 }),
      ]);
      if (generation !== this.#generation) return;
      const open = accounts.data.filter((a) => a.status === 'open');
      const offered = products.data.filter((p) => p.type === 'fixed_deposit' && p.status === 'active');
      const product = offered.find((p) => p.id === this.productId) ?? offered[0];
      this.productId = product?.id ?? '';
      if (!product?.termMonths?.includes(this.term)) this.term = product?.termMonths?.[0] ?? 0;
      this.view = {
        state: 'ready',
        wallet: open.find((a) => a.type === 'wallet' && a.currency === (product?.currency ?? 'KES')),
        deposits: open.filter((a) => a.type === 'fixed_deposit'),
        products: offered,
      };
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.view = { state: 'error', message: this.reportError(error).message };
    }
  }

  get #product(): SavingsProduct | undefined {
    return this.view.state === 'ready' ? this.view.products.find((p) => p.id === this.productId) : undefined;
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus();
  }

  #fail(error: unknown): void {
    const reported = this.reportError(error);
    this.formError = reported.requestId
      ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
      : reported.message;
  }

  /** Edit → quote: validates, asks the bank what the deposit would pay, and shows it before opening. */
  async #quote(event: Event): Promise<void> {
    event.preventDefault();
    const client = this.activeClient;
    const product = this.#product;
    if (this.busy || this.step.name !== 'edit' || !client || !product) return;
    this.formError = '';
    const amount = this.amount;
    if (amount === undefined)
      this.amountError =
        this.amountText.trim() === '' ? this.t('field.amount.required') : this.t('field.amount.invalid');
    else if (!amount.isPositive()) this.amountError = this.t('field.amount.positive');
    else if (amount.lessThan(product.minOpeningBalance))
      this.amountError = this.t('save.minimum', { amount: this.money(product.minOpeningBalance) });
    else this.amountError = '';
    if (this.amountError !== '' || amount === undefined) {
      this.formError = this.t('error.validation_failed');
      await this.#focus('wk-amount-input');
      return;
    }
    this.busy = true;
    this.status = this.t('deposit.quoting');
    try {
      const quote = await client.depositQuotes.create({
        productId: product.id,
        amount,
        termMonths: this.term,
      });
      const signature = JSON.stringify([product.id, this.term, this.atMaturity, amount.toJSON()]);
      if (this.#intent?.signature !== signature)
        this.#intent = { signature, key: newIdempotencyKey(), spent: false };
      this.step = { name: 'quote', quote };
      this.status = '';
      this.busy = false;
      await this.#focus('#step-title');
    } catch (error) {
      this.busy = false;
      this.status = '';
      this.#fail(error);
    }
  }

  async #open(): Promise<void> {
    const client = this.activeClient;
    const intent = this.#intent;
    const product = this.#product;
    const wallet = this.view.state === 'ready' ? this.view.wallet : undefined;
    if (this.busy || this.step.name !== 'quote' || !client || !intent || !product || !this.amount) return;
    if (intent.spent) {
      intent.key = newIdempotencyKey();
      intent.spent = false;
    }
    this.busy = true;
    this.formError = '';
    this.status = this.t('deposit.opening');
    try {
      const opened = await client.accounts.create(
        {
          type: 'fixed_deposit',
          currency: product.currency as 'KES',
          productId: product.id,
          termMonths: this.term,
          amount: this.amount,
          atMaturity: this.atMaturity,
          ...(wallet ? { fundingAccountId: wallet.id } : {}),
        },
        { idempotencyKey: intent.key },
      );
      this.#intent = undefined;
      this.busy = false;
      this.step = { name: 'edit' };
      this.amount = undefined;
      this.amountText = '';
      await this.#load();
      this.status = this.t('deposit.opened', { date: this.date(opened.maturityDate ?? '') });
      this.emit('wk-success', { kind: 'fixed-deposit-opened', resource: opened });
      await this.#focus('h2');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      this.#fail(error);
    }
  }

  /** Shows what closing today would pay (the bank's close quote), before anything is closed. */
  async #closeQuote(account: Account): Promise<void> {
    const client = this.activeClient;
    if (this.busy || !client) return;
    this.busy = true;
    this.formError = '';
    try {
      const quote = await client.accounts.closeQuote(account.id);
      this.#intent = { signature: `close:${account.id}`, key: newIdempotencyKey(), spent: false };
      this.step = { name: 'close', account, quote };
      this.busy = false;
      await this.#focus('#step-title');
    } catch (error) {
      this.busy = false;
      this.#fail(error);
    }
  }

  async #close(): Promise<void> {
    const client = this.activeClient;
    const intent = this.#intent;
    const step = this.step;
    if (this.busy || step.name !== 'close' || !client || !intent) return;
    if (intent.spent) {
      intent.key = newIdempotencyKey();
      intent.spent = false;
    }
    this.busy = true;
    this.formError = '';
    this.status = this.t('deposit.closing');
    try {
      const closure = await client.accounts.close(step.account.id, { idempotencyKey: intent.key });
      this.#intent = undefined;
      this.busy = false;
      this.step = { name: 'edit' };
      await this.#load();
      this.status = this.t('deposit.closed', { amount: this.money(closure.total) });
      this.emit('wk-success', { kind: 'fixed-deposit-closed', resource: closure });
      await this.#focus('h2');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      this.#fail(error);
    }
  }

  #back(): void {
    if (this.busy) return;
    const closing = this.step.name === 'close';
    this.step = { name: 'edit' };
    this.formError = '';
    void this.#focus(closing ? 'h2' : 'wk-amount-input');
  }

  #renderDeposit(account: Account) {
    return html`<li part="deposit">
      <strong>${this.t('deposit.account', { rate: formatRate(account.interestRate ?? '0', this.intlLocale) })}</strong>
      <dl>
        <dt>${this.t('deposit.principal')}</dt>
        <dd>${this.money(account.principal ?? account.balance.ledger)}</dd>
        ${account.termMonths ? html`<dt>${this.t('deposit.term')}</dt><dd>${this.t('common.months', { count: account.termMonths })}</dd>` : nothing}
        ${account.maturityDate ? html`<dt>${this.t('deposit.maturityDate')}</dt><dd>${this.date(account.maturityDate)}</dd>` : nothing}
        ${account.accruedInterest ? html`<dt>${this.t('deposit.accrued')}</dt><dd>${this.money(account.accruedInterest)}</dd>` : nothing}
        ${
          account.maturityAmount
            ? html`<dt class="strong">${this.t('deposit.maturityAmount')}</dt>
                <dd class="strong">${this.money(account.maturityAmount)}</dd>`
            : nothing
        }
      </dl>
      <div class="actions">
        <button part="close-button" class="secondary" type="button" @click=${() => this.#closeQuote(account)}>
          ${this.t('deposit.closeEarly')}
        </button>
      </div>
    </li>`;
  }

  #renderEdit(view: Extract<View, { state: 'ready' }>) {
    if (view.products.length === 0) return html`<p class="muted">${this.t('deposit.noProducts')}</p>`;
    const product = this.#product;
    const currency = product?.currency ?? 'KES';
    return html`<h3>${this.t('deposit.open')}</h3>
      ${
        view.products.length > 1
          ? html`<div class="field">
              <label part="label" for="product">${this.t('save.product')}</label>
              <select
                id="product"
                part="product-select"
                @change=${(e: Event) => {
                  this.productId = (e.target as HTMLSelectElement).value;
                  this.term = this.#product?.termMonths?.[0] ?? 0;
                }}
              >
                ${view.products.map(
                  (p) => html`<option value=${p.id} ?selected=${p.id === this.productId}>
                    ${p.name} · ${this.t('save.rate', { rate: formatRate(p.annualRate, this.intlLocale) })}
                  </option>`,
                )}
              </select>
            </div>`
          : html`<p class="muted">${product?.name} · ${this.t('save.rate', { rate: formatRate(product?.annualRate ?? '0', this.intlLocale) })}</p>`
      }
      <div class="field">
        <label part="label" for="term">${this.t('deposit.term')}</label>
        <select
          id="term"
          part="term-select"
          @change=${(e: Event) => {
            this.term = Number((e.target as HTMLSelectElement).value);
          }}
        >
          ${(product?.termMonths ?? []).map(
            (months) =>
              html`<option value=${months} ?selected=${months === this.term}>
                ${months === 1 ? this.t('common.month') : this.t('common.months', { count: months })}
              </option>`,
          )}
        </select>
      </div>
      <wk-amount-input
        part="amount-input"
        exportparts="input: amount-field, label: amount-label, error: amount-error"
        name="amount"
        required
        .locale=${this.activeLocale}
        .currency=${currency}
        .label=${
          view.wallet
            ? this.t('save.fromWallet', { available: this.money(view.wallet.balance.available) })
            : this.t('save.amount', { currency })
        }
        .value=${this.amount}
        .error=${this.amountError}
        @wk-change=${(e: CustomEvent<{ value: Money | undefined; text: string }>) => {
          this.amount = e.detail.value;
          this.amountText = e.detail.text;
          this.amountError = '';
        }}
      ></wk-amount-input>
      ${product?.minOpeningBalance.isPositive() ? html`<p class="muted">${this.t('save.minimum', { amount: this.money(product.minOpeningBalance) })}</p>` : nothing}
      <div class="field">
        <label part="label" for="at-maturity">${this.t('deposit.atMaturity')}</label>
        <select
          id="at-maturity"
          part="at-maturity"
          @change=${(e: Event) => {
            this.atMaturity = (e.target as HTMLSelectElement).value === 'roll_over' ? 'roll_over' : 'pay_out';
          }}
        >
          <option value="pay_out" ?selected=${this.atMaturity === 'pay_out'}>${this.t('deposit.payOut')}</option>
          <option value="roll_over" ?selected=${this.atMaturity === 'roll_over'}>${this.t('deposit.rollOver')}</option>
        </select>
      </div>
      <div class="actions">
        <button part="review-button" type="submit">${this.t('deposit.quote')}</button>
      </div>`;
  }

  #renderQuote(quote: DepositQuote) {
    return html`<h3 id="step-title" tabindex="-1">${this.t('deposit.quote')}</h3>
      <dl part="quote">
        <dt>${this.t('deposit.principal')}</dt>
        <dd>${this.money(quote.principal)}</dd>
        <dt>${this.t('deposit.term')}</dt>
        <dd>${this.t('common.months', { count: quote.termMonths })} · ${this.t('save.rate', { rate: formatRate(quote.annualRate, this.intlLocale) })}</dd>
        <dt>${this.t('deposit.maturityDate')}</dt>
        <dd>${this.date(quote.maturityDate)}</dd>
        <dt>${this.t('deposit.interest')}</dt>
        <dd>${this.money(quote.interest)}</dd>
        <dt>${this.t('deposit.tax')}</dt>
        <dd>${this.money(quote.tax.negate())}</dd>
        <dt class="strong">${this.t('deposit.maturityAmount')}</dt>
        <dd class="strong">${this.money(quote.maturityAmount)}</dd>
        <dt>${this.t('deposit.atMaturity')}</dt>
        <dd>${this.atMaturity === 'pay_out' ? this.t('deposit.payOut') : this.t('deposit.rollOver')}</dd>
      </dl>
      <div class="actions">
        <button part="edit-button" class="secondary" type="button" @click=${() => this.#back()}>${this.t('save.edit')}</button>
        <button
          part="confirm-button"
          type="button"
          aria-busy=${this.busy ? 'true' : 'false'}
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.#open()}
        >
          ${this.busy ? this.t('deposit.opening') : this.t('deposit.openConfirm', { amount: this.money(quote.principal) })}
        </button>
      </div>`;
  }

  #renderClose(quote: CloseQuote) {
    return html`<h3 id="step-title" tabindex="-1">${this.t('deposit.closeQuote')}</h3>
      <dl part="quote">
        <dt>${this.t('deposit.principal')}</dt>
        <dd>${this.money(quote.principal)}</dd>
        <dt>${this.t('deposit.accrued')}</dt>
        <dd>${this.money(quote.interestAccrued)}</dd>
        <dt class="forfeit">${this.t('deposit.forfeit')}</dt>
        <dd class="forfeit">${this.money(quote.interestForfeited.negate())}</dd>
        <dt>${this.t('deposit.kept')}</dt>
        <dd>${this.money(quote.interestKept)}</dd>
        <dt>${this.t('deposit.tax')}</dt>
        <dd>${this.money(quote.tax.negate())}</dd>
        <dt class="strong">${this.t('deposit.total')}</dt>
        <dd class="strong">${this.money(quote.total)}</dd>
      </dl>
      <div class="actions">
        <button part="edit-button" class="secondary" type="button" @click=${() => this.#back()}>${this.t('deposit.keep')}</button>
        <button
          part="confirm-button"
          type="button"
          aria-busy=${this.busy ? 'true' : 'false'}
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.#close()}
        >
          ${this.busy ? this.t('deposit.closing') : this.t('deposit.closeConfirm', { amount: this.money(quote.total) })}
        </button>
      </div>`;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const view = this.view;
    let body: unknown;
    if (view.state === 'loading') body = html`<p class="muted" role="status">${this.t('common.loading')}</p>`;
    else if (view.state === 'error')
      body = html`<div class="actions">
        <button part="retry-button" class="secondary" type="button" @click=${() => this.#load()}>
          ${this.t('common.retry')}
        </button>
      </div>`;
    else if (this.step.name === 'quote') body = this.#renderQuote(this.step.quote);
    else if (this.step.name === 'close') body = this.#renderClose(this.step.quote);
    else
      body = html`${
        view.deposits.length > 0
          ? html`<ul>
              ${view.deposits.map((d) => this.#renderDeposit(d))}
            </ul>`
          : html`<p class="muted">${this.t('deposit.empty')}</p>`
      }
      ${this.#renderEdit(view)}`;
    const error = view.state === 'error' ? view.message : this.formError;
    return html`<form part="base" novalidate aria-labelledby="title" @submit=${this.#quote}>
      <h2 id="title" part="heading" tabindex="-1">${this.t('fixedDeposit.title')}</h2>
      ${body}
      <p part="error" role="alert">${error}</p>
      <p part="status" role="status" aria-live="polite">${this.status}</p>
    </form>`;
  }
}
