import type { Money } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { StackedBarsChart } from '../../charts/index.ts';
import { formatRate, loanStatusKey, reasonKeys } from '../../core/borrow.ts';
import { WekezaElement } from '../../core/element.ts';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import type { Loan, LoanApplication, LoanProduct, LoanQuote } from '../../core/types.ts';
import { WkAmountInput } from '../amount-input/amount-input.ts';
import { drawScheduleChart, scheduleStyles } from '../loan-status/loan-status.ts';
import { scheduleTable } from '../loan-status/schedule.ts';

type Step = 'edit' | 'decided' | 'done';

/** One intent (an application, or accepting one offer) and the Idempotency-Key that makes it happen once. */
interface Intent {
  signature: string;
  key: string;
  spent: boolean;
}

/** Milliseconds the quote waits after the last keystroke before asking the bank. */
const QUOTE_DEBOUNCE_MS = 300;

/**
 * Applying for a loan, end to end: choose a product, an amount and a term and see a live quote
 * (`POST /v1/loan-quotes`: the schedule with principal and interest per instalment — as a table and
 * a lazily loaded stacked bar chart — the fee, what reaches the wallet, total cost and APR); apply
 * (`POST /v1/loan-applications`) and see the decision with its reasons in plain language; accept an
 * approved offer (`POST /v1/loan-applications/{id}/accept`) and see the disbursement to the wallet
 * with the loan's status. A referred application says what happens next. Applying and accepting each
 * use one Idempotency-Key per intent, so a double click applies or disburses once.
 *
 * @fires wk-ready - The products are loaded and the form is usable.
 * @fires wk-success - `{ kind: 'loan-application', resource }` when the bank decided; `{ kind: 'loan', resource: Loan }` when the offer was accepted and the money sent.
 * @fires wk-error - Loading, quoting, applying or accepting failed (detail: code, localized message, problem).
 * @fires wk-step-up-required - The server asked for step-up (`mfa_required`) on accepting; call `detail.retry(otp)` once the session is stepped up.
 *
 * @csspart base - The card (a `<form>`).
 * @csspart heading - The step title.
 * @csspart label - Each field label.
 * @csspart product-select - The loan product picker.
 * @csspart amount-input - The `<wk-amount-input>` (its own parts: label, input, error).
 * @csspart term-select - The term picker (months).
 * @csspart purpose-input - The purpose input.
 * @csspart quote - The quote summary (fee, you receive, totals, APR).
 * @csspart chart - The schedule chart container (decorative, `aria-hidden`).
 * @csspart schedule - The schedule table.
 * @csspart instalment - One schedule row.
 * @csspart submit-button - Applies.
 * @csspart decision - The decision panel (also `approved`, `declined` or `referred`).
 * @csspart decision-title - The decision heading (focused when the decision arrives).
 * @csspart reasons - The list of reasons.
 * @csspart accept-button - Accepts the offer.
 * @csspart edit-button - Back to the form (change the amount).
 * @csspart again-button - Starts a new application.
 * @csspart loan-label - The loan's status label after disbursement.
 * @csspart status - The polite live region (progress and outcome).
 * @csspart error - The form-level error (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons and principal bars.
 * @cssprop --wk-color-focus - Interest bars and the focus ring.
 * @cssprop --wk-color-on-primary - Button text.
 * @cssprop --wk-color-surface - Inputs and the decision panel.
 * @cssprop --wk-color-border - Input borders.
 * @cssprop --wk-color-danger - Errors, declined.
 * @cssprop --wk-color-success - Approved, disbursed.
 */
export class WkLoanApplication extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    scheduleStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: calc(var(--_wk-space) * 1) calc(var(--_wk-space) * 4);
        margin: 0;
        margin-block-end: calc(var(--_wk-space) * 3);
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      h3 {
        font-size: 1.05em;
        margin-block: calc(var(--_wk-space) * 4) calc(var(--_wk-space) * 2);
      }
      [part~='decision'] {
        background: var(--_wk-surface);
        border-radius: var(--_wk-radius);
        padding: calc(var(--_wk-space) * 4);
        border-inline-start: 4px solid var(--_wk-muted);
      }
      [part~='approved'] {
        border-inline-start-color: var(--_wk-success);
      }
      [part~='declined'] {
        border-inline-start-color: var(--_wk-danger);
      }
      [part~='decision'] h3 {
        margin-block-start: 0;
      }
      ul {
        margin: 0;
        padding-inline-start: 1.25em;
      }
      .hint {
        margin-block: calc(var(--_wk-space) * -2) calc(var(--_wk-space) * 3);
        font-size: 0.9em;
      }
      h2:focus,
      h3:focus {
        outline: none;
      }
      h2:focus-visible,
      h3:focus-visible {
        outline: 3px solid var(--_wk-focus);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    productId: { type: String, attribute: 'product-id' },
    chart: { type: Boolean, reflect: true },
    step: { state: true },
    products: { state: true },
    loadError: { state: true },
    selectedProduct: { state: true },
    amount: { state: true },
    amountText: { state: true },
    term: { state: true },
    purpose: { state: true },
    quote: { state: true },
    quoting: { state: true },
    amountError: { state: true },
    application: { state: true },
    loan: { state: true },
    formError: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  /** Preselects a loan product (default: the first on offer). */
  declare productId: string | undefined;
  /** Draw the schedule chart beside the table (default true). */
  declare chart: boolean;
  declare private step: Step;
  declare private products: LoanProduct[] | undefined;
  declare private loadError: string;
  declare private selectedProduct: string;
  declare private amount: Money | undefined;
  declare private amountText: string;
  declare private term: number;
  declare private purpose: string;
  declare private quote: LoanQuote | undefined;
  declare private quoting: boolean;
  declare private amountError: string;
  declare private application: LoanApplication | undefined;
  declare private loan: Loan | undefined;
  declare private formError: string;
  declare private status: string;
  declare private busy: boolean;

  #applyIntent: Intent | undefined;
  #acceptIntent: Intent | undefined;
  #loadedFor: unknown[] = [];
  #generation = 0;
  #quoteGeneration = 0;
  #quoteTimer: ReturnType<typeof setTimeout> | undefined;
  #chart: StackedBarsChart | undefined;
  #chartFor = '';
  #chartContainer: HTMLElement | null = null;
  #chartDrawing = 0;

  constructor() {
    super();
    this.chart = true;
    this.step = 'edit';
    this.products = undefined;
    this.loadError = '';
    this.selectedProduct = '';
    this.amount = undefined;
    this.amountText = '';
    this.term = 0;
    this.purpose = '';
    this.quote = undefined;
    this.quoting = false;
    this.amountError = '';
    this.application = undefined;
    this.loan = undefined;
    this.formError = '';
    this.status = '';
    this.busy = false;
    void WkAmountInput;
  }

  /** The Idempotency-Key of the pending application (undefined before applying); for tests and logging. */
  get idempotencyKey(): string | undefined {
    return this.#applyIntent?.key;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.#loadProducts();
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const container = this.chart
      ? (this.renderRoot.querySelector('[part~="chart"]') as HTMLElement | null)
      : null;
    const rows = this.step === 'decided' ? this.application?.offer?.schedule : this.quote?.schedule;
    const signature =
      container && rows ? `${JSON.stringify(rows.map((r) => r.total.toJSON()))}|${this.activeLocale}` : '';
    // One drawing per container and data: a re-render that keeps both draws nothing.
    if (signature === this.#chartFor && container === this.#chartContainer) return;
    this.#chartFor = signature;
    this.#chartContainer = container;
    const previous = this.#chart;
    this.#chart = undefined;
    const drawing = ++this.#chartDrawing;
    void drawScheduleChart(
      this,
      container,
      rows ?? [],
      previous,
      { principal: this.t('apply.principal'), interest: this.t('apply.interest') },
      (value) => new Intl.NumberFormat(this.intlLocale, { notation: 'compact' }).format(value),
    ).then((chart) => {
      // A newer drawing started while the chart chunk loaded: this one is already stale.
      if (drawing === this.#chartDrawing) this.#chart = chart;
      else chart?.destroy();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#quoteTimer);
    this.#chart?.destroy();
    this.#chart = undefined;
    this.#chartFor = '';
    this.#chartContainer = null;
    this.#chartDrawing += 1;
  }

  async #loadProducts(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.loadError = this.reportError(undefined, 'no_client').message;
      return;
    }
    try {
      const page = await client.loanProducts.list({ limit: 100 });
      if (generation !== this.#generation) return;
      this.products = page.data.filter((p) => p.status === 'active');
      this.loadError = '';
      const product = this.products.find((p) => p.id === this.productId) ?? this.products[0];
      if (product) this.#selectProduct(product);
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.loadError = this.reportError(error).message;
    }
  }

  get #product(): LoanProduct | undefined {
    return this.products?.find((p) => p.id === this.selectedProduct);
  }

  #selectProduct(product: LoanProduct): void {
    this.selectedProduct = product.id;
    if (this.term < product.minTermMonths || this.term > product.maxTermMonths) {
      this.term = Math.min(product.maxTermMonths, Math.max(product.minTermMonths, 3));
    }
    this.#scheduleQuote();
  }

  /** The amount's problem against the product's range, or ''. */
  #checkAmount(): string {
    const product = this.#product;
    if (this.amount === undefined) {
      return this.amountText.trim() === '' ? '' : this.t('field.amount.invalid');
    }
    if (!this.amount.isPositive()) return this.t('field.amount.positive');
    if (product && (this.amount.lessThan(product.minAmount) || this.amount.greaterThan(product.maxAmount))) {
      return this.t('apply.outOfRange', {
        min: this.money(product.minAmount),
        max: this.money(product.maxAmount),
      });
    }
    return '';
  }

  /** Asks for a new quote shortly after the last change (only for terms the product allows). */
  #scheduleQuote(): void {
    clearTimeout(this.#quoteTimer);
    const generation = ++this.#quoteGeneration;
    const problem = this.#checkAmount();
    if (this.amount === undefined || problem !== '' || !this.#product) {
      this.quote = undefined;
      this.quoting = false;
      return;
    }
    this.quoting = true;
    this.#quoteTimer = setTimeout(() => void this.#fetchQuote(generation), QUOTE_DEBOUNCE_MS);
  }

  async #fetchQuote(generation: number): Promise<void> {
    const client = this.activeClient;
    const amount = this.amount;
    if (!client || !amount) return;
    try {
      const quote = await client.loanQuotes.create({
        productId: this.selectedProduct,
        amount,
        termMonths: this.term,
      });
      if (generation !== this.#quoteGeneration) return;
      this.quote = quote;
      this.quoting = false;
      this.formError = '';
    } catch (error) {
      if (generation !== this.#quoteGeneration) return;
      this.quoting = false;
      this.quote = undefined;
      const described = describeError(error);
      const reported = this.reportError(error);
      if (described.fields.amount) this.amountError = described.fields.amount;
      else this.formError = reported.message;
    }
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus();
  }

  async #apply(event: Event): Promise<void> {
    event.preventDefault();
    const client = this.activeClient;
    if (this.step !== 'edit' || this.busy || !client) return;
    this.formError = '';
    this.amountError = this.amount === undefined ? this.t('field.amount.required') : this.#checkAmount();
    if (this.amountError !== '' || this.amount === undefined) {
      this.formError = this.t('error.validation_failed');
      await this.#focus('wk-amount-input');
      return;
    }
    const purpose = this.purpose.trim();
    const params = {
      productId: this.selectedProduct,
      amount: this.amount,
      termMonths: this.term,
      ...(purpose !== '' ? { purpose } : {}),
    };
    const signature = JSON.stringify({ ...params, amount: params.amount.toJSON() });
    if (
      this.#applyIntent === undefined ||
      this.#applyIntent.signature !== signature ||
      this.#applyIntent.spent
    ) {
      this.#applyIntent = { signature, key: newIdempotencyKey(), spent: false };
    }
    const intent = this.#applyIntent;
    this.busy = true;
    this.status = this.t('apply.submitting');
    try {
      const application = await client.loanApplications.create(params, { idempotencyKey: intent.key });
      this.#applyIntent = undefined;
      this.application = application;
      this.busy = false;
      this.step = 'decided';
      this.status = this.#decisionTitle(application);
      this.emit('wk-success', { kind: 'loan-application', resource: application });
      await this.#focus('#decision-title');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      const described = describeError(error);
      const reported = this.reportError(error);
      if (described.fields.amount) this.amountError = described.fields.amount;
      this.formError = reported.requestId
        ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
        : reported.message;
    }
  }

  #decisionTitle(application: LoanApplication): string {
    return application.decision === 'approved'
      ? this.t('apply.approved')
      : application.decision === 'referred'
        ? this.t('apply.referred')
        : this.t('apply.declined');
  }

  async #accept(): Promise<void> {
    const client = this.activeClient;
    const application = this.application;
    if (this.busy || this.step !== 'decided' || !client || !application?.offer) return;
    if (this.#acceptIntent === undefined || this.#acceptIntent.signature !== application.id) {
      this.#acceptIntent = { signature: application.id, key: newIdempotencyKey(), spent: false };
    }
    const intent = this.#acceptIntent;
    if (intent.spent) {
      intent.key = newIdempotencyKey();
      intent.spent = false;
    }
    this.busy = true;
    this.formError = '';
    this.status = this.t('apply.accepting');
    try {
      const loan = await client.loanApplications.accept(application.id, { idempotencyKey: intent.key });
      this.#acceptIntent = undefined;
      this.loan = loan;
      this.busy = false;
      this.step = 'done';
      this.status = `${this.t('apply.disbursed', {
        amount: this.money(application.offer.netDisbursed),
        number: loan.loanNumber,
      })} ${this.t('apply.status', { label: this.t(loanStatusKey(loan.status)) })}`;
      this.emit('wk-success', { kind: 'loan', resource: loan });
      await this.#focus('h2');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      const described = describeError(error);
      if (described.code === 'mfa_required' && described.problem) {
        this.status = this.t('apply.stepUp');
        this.emit('wk-step-up-required', {
          problem: described.problem,
          retry: () => this.#accept(),
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

  #backToEdit(): void {
    if (this.busy) return;
    this.step = 'edit';
    this.application = undefined;
    this.loan = undefined;
    this.formError = '';
    this.status = '';
    this.#scheduleQuote();
    void this.#focus('select');
  }

  #again(): void {
    this.amount = undefined;
    this.amountText = '';
    this.purpose = '';
    this.quote = undefined;
    this.#backToEdit();
  }

  #months(count: number): string {
    return count === 1 ? this.t('common.month') : this.t('common.months', { count });
  }

  #renderQuote(quote: LoanQuote | LoanApplication['offer'] | undefined) {
    if (!quote) return nothing;
    const format = {
      t: this.t.bind(this),
      money: (m: Money) => this.money(m),
      date: (d: string) => this.date(d),
    };
    return html`
      <dl part="quote">
        <dt>${this.t('apply.fee')}</dt>
        <dd>${this.money(quote.fee)}</dd>
        <dt>${this.t('apply.net')}</dt>
        <dd><strong>${this.money(quote.netDisbursed)}</strong></dd>
        <dt>${this.t('apply.totalInterest')}</dt>
        <dd>${this.money(quote.totalInterest)}</dd>
        <dt>${this.t('apply.totalRepayable')}</dt>
        <dd>${this.money(quote.totalRepayable)}</dd>
        <dt>${this.t('apply.totalCost')}</dt>
        <dd>${this.money(quote.totalCostOfCredit)}</dd>
        <dt>${this.t('apply.apr')}</dt>
        <dd>${formatRate(quote.apr, this.intlLocale)}</dd>
      </dl>
      <h4 class="muted">${this.t('apply.schedule')}</h4>
      ${
        this.chart
          ? html`<ul class="legend" aria-hidden="true">
                <li><span class="swatch swatch-principal"></span>${this.t('apply.principal')}</li>
                <li><span class="swatch swatch-interest"></span>${this.t('apply.interest')}</li>
              </ul>
              <div part="chart" aria-hidden="true"></div>`
          : nothing
      }
      ${scheduleTable(quote.schedule, format, this.t('apply.schedule'))}
    `;
  }

  #renderEdit() {
    const products = this.products ?? [];
    if (products.length === 0) return html`<p class="muted">${this.t('apply.noProducts')}</p>`;
    const product = this.#product;
    const currency = product?.currency ?? 'KES';
    const terms: number[] = [];
    for (let m = product?.minTermMonths ?? 1; m <= (product?.maxTermMonths ?? 1); m++) terms.push(m);
    return html`
      <div class="field">
        <label part="label" for="product">${this.t('apply.product')}</label>
        <select
          id="product"
          part="product-select"
          @change=${(e: Event) => {
            const next = products.find((p) => p.id === (e.target as HTMLSelectElement).value);
            if (next) this.#selectProduct(next);
          }}
        >
          ${products.map(
            (p) => html`<option value=${p.id} ?selected=${p.id === this.selectedProduct}>
              ${this.t('apply.productOption', { name: p.name, rate: formatRate(p.annualRate, this.intlLocale) })}
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
        .label=${this.t('apply.amount', { currency })}
        .value=${this.amount}
        .error=${this.amountError}
        @wk-change=${(e: CustomEvent<{ value: Money | undefined; text: string }>) => {
          this.amount = e.detail.value;
          this.amountText = e.detail.text;
          this.amountError = '';
          this.#scheduleQuote();
        }}
      ></wk-amount-input>
      ${
        product
          ? html`<p class="hint muted">
              ${this.t('apply.amountRange', { min: this.money(product.minAmount), max: this.money(product.maxAmount) })}
            </p>`
          : nothing
      }
      <div class="field">
        <label part="label" for="term">${this.t('apply.term')}</label>
        <select
          id="term"
          part="term-select"
          @change=${(e: Event) => {
            this.term = Number.parseInt((e.target as HTMLSelectElement).value, 10);
            this.#scheduleQuote();
          }}
        >
          ${terms.map((m) => html`<option value=${m} ?selected=${m === this.term}>${this.#months(m)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label part="label" for="purpose">${this.t('apply.purpose')}</label>
        <input
          id="purpose"
          part="purpose-input"
          type="text"
          maxlength="200"
          autocomplete="off"
          .value=${this.purpose}
          @input=${(e: Event) => {
            this.purpose = (e.target as HTMLInputElement).value;
          }}
        />
      </div>
      <section aria-labelledby="quote-title" aria-busy=${this.quoting ? 'true' : 'false'}>
        <h3 id="quote-title">${this.t('apply.quote')}</h3>
        ${this.quoting ? html`<p class="muted">${this.t('apply.quoting')}</p>` : nothing}
        ${this.#renderQuote(this.quote)}
      </section>
      <div class="actions">
        <button part="submit-button" type="submit" aria-busy=${this.busy ? 'true' : 'false'}>
          ${this.busy ? this.t('apply.submitting') : this.t('apply.submit')}
        </button>
      </div>
    `;
  }

  #renderReasons(application: LoanApplication) {
    if (application.reasons.length === 0) return nothing;
    return html`<h4>${this.t('apply.reasons')}</h4>
      <ul part="reasons">
        ${application.reasons.map((reason) => {
          const keys = reasonKeys(reason, this.messages);
          return html`<li data-code=${reason.code}>${this.t(keys.reason)} ${this.t(keys.improve)}</li>`;
        })}
      </ul>`;
  }

  #renderDecided() {
    const application = this.application as LoanApplication;
    const offer = application.offer;
    const decision = application.decision;
    return html`
      <div part=${`decision ${decision}`}>
        <h3 id="decision-title" part="decision-title" tabindex="-1">${this.#decisionTitle(application)}</h3>
        ${
          decision === 'approved' && offer
            ? html`<p>
                  ${this.t('apply.approvedText', {
                    amount: this.money(offer.amount),
                    term: this.#months(offer.termMonths),
                    date: this.date(offer.expiresOn),
                  })}
                </p>
                ${this.#renderQuote(offer)}`
            : decision === 'referred'
              ? html`<p>${this.t('apply.referredText')}</p>`
              : html`<p>${this.t('apply.declinedText')}</p>`
        }
        ${this.#renderReasons(application)}
      </div>
      <div class="actions">
        ${
          decision === 'approved' && offer
            ? html`<button part="edit-button" class="secondary" type="button" @click=${this.#backToEdit}>
                  ${this.t('apply.edit')}
                </button>
                <button
                  part="accept-button"
                  type="button"
                  aria-busy=${this.busy ? 'true' : 'false'}
                  aria-disabled=${this.busy ? 'true' : 'false'}
                  @click=${() => this.#accept()}
                >
                  ${this.busy ? this.t('apply.accepting') : this.t('apply.accept', { amount: this.money(offer.netDisbursed) })}
                </button>`
            : html`<button part="again-button" type="button" @click=${this.#again}>${this.t('apply.again')}</button>`
        }
      </div>
    `;
  }

  #renderDone() {
    const loan = this.loan as Loan;
    return html`
      <p>
        <span part="loan-label">${this.t('apply.status', { label: this.t(loanStatusKey(loan.status)) })}</span>
      </p>
      <div class="actions">
        <button part="again-button" type="button" @click=${this.#again}>${this.t('apply.again')}</button>
      </div>
    `;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    let body: unknown;
    if (this.loadError !== '' && this.products === undefined) {
      body = html`<div class="actions">
        <button part="retry-button" class="secondary" type="button" @click=${() => this.#loadProducts()}>
          ${this.t('common.retry')}
        </button>
      </div>`;
    } else if (this.products === undefined) {
      body = html`<p class="muted" role="status">${this.t('common.loading')}</p>`;
    } else if (this.step === 'decided' && this.application) {
      body = this.#renderDecided();
    } else if (this.step === 'done' && this.loan) {
      body = this.#renderDone();
    } else {
      body = this.#renderEdit();
    }
    const error = this.loadError !== '' && this.products === undefined ? this.loadError : this.formError;
    return html`
      <form part="base" novalidate aria-labelledby="title" @submit=${this.#apply}>
        <h2 id="title" part="heading" tabindex="-1">${this.t('apply.title')}</h2>
        ${body}
        <p part="error" role="alert">${error}</p>
        <p part="status" role="status" aria-live="polite">${this.status}</p>
      </form>
    `;
  }
}
