import type { Money } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { StackedBarsChart } from '../../charts/index.ts';
import { formatRate } from '../../core/borrow.ts';
import { WekezaElement } from '../../core/element.ts';
import { isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import type { Account, SavingsProduct, Transaction } from '../../core/types.ts';
import { WkAmountInput } from '../amount-input/amount-input.ts';
import { forChart, type GrowthPoint, growthByMonth, type InterestEarned, interestEarned } from './growth.ts';

type Move = 'add' | 'withdraw';

type View =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | {
      state: 'ready';
      wallet: Account | undefined;
      account: Account | undefined;
      products: SavingsProduct[];
      earned: InterestEarned | undefined;
      growth: GrowthPoint[];
    };

/** One user intent (open, add, withdraw) and the Idempotency-Key that does it at most once. */
interface Intent {
  signature: string;
  key: string;
  spent: boolean;
}

/**
 * A savings account: its balance, rate and the interest it has earned (gross, the withholding tax
 * and net, plus what has accrued since the last month end), its growth month by month as a chart
 * (drawn by the lazily loaded chart chunk, with the same figures in a table for screen readers),
 * and moving money in from the wallet or out to it. A customer without one can open one, funded
 * from the wallet. One Idempotency-Key per intent, as in `<wk-transfer-form>`.
 *
 * @fires wk-ready - The account (or the offer to open one) is shown.
 * @fires wk-success - Opened (`{ kind: 'savings-opened', resource: Account }`), or money moved (`{ kind: 'savings-moved', direction, amount }`).
 * @fires wk-error - Loading or acting failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart balance - The balance figure.
 * @csspart rate - The annual rate.
 * @csspart interest - The interest-earned list (gross, tax, net, accrued).
 * @csspart chart - The growth chart's container (decorative: `aria-hidden`).
 * @csspart growth-table - The growth figures as a table.
 * @csspart product-select - The product picker when opening.
 * @csspart amount-input - The `<wk-amount-input>` of the open and move forms.
 * @csspart move-add - "Add money".
 * @csspart move-withdraw - "Withdraw to wallet".
 * @csspart review-button - Reviews the open or move.
 * @csspart confirm-button - Opens the account or moves the money.
 * @csspart edit-button - Back to editing.
 * @csspart retry-button - Loads again after an error.
 * @csspart status - The polite live region.
 * @csspart error - The error (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons and the deposits bars.
 * @cssprop --wk-color-success - The interest bars.
 * @cssprop --wk-color-surface - Inputs.
 * @cssprop --wk-color-border - Borders.
 * @cssprop --wk-color-danger - Errors.
 */
export class WkSavings extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      .figure {
        font-size: 1.75em;
        font-weight: 600;
        margin: 0;
      }
      dl {
        display: grid;
        grid-template-columns: 1fr max-content;
        gap: calc(var(--_wk-space) * 1) calc(var(--_wk-space) * 4);
        margin-block: calc(var(--_wk-space) * 3);
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .legend {
        display: flex;
        gap: calc(var(--_wk-space) * 4);
        list-style: none;
        margin: 0;
        padding: 0;
        font-size: 0.875em;
      }
      .swatch {
        display: inline-block;
        inline-size: 0.75em;
        block-size: 0.75em;
        margin-inline-end: calc(var(--_wk-space) * 1);
        border-radius: 2px;
      }
      .swatch-deposits {
        background: var(--_wk-primary);
      }
      .swatch-interest {
        background: light-dark(#2563eb, #93c5fd);
      }
      .chart {
        min-block-size: 220px;
        margin-block: calc(var(--_wk-space) * 3);
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        padding: calc(var(--_wk-space) * 1);
        text-align: start;
      }
      .num {
        text-align: end;
      }
      .segmented {
        display: flex;
        gap: calc(var(--_wk-space) * 2);
        margin-block-end: calc(var(--_wk-space) * 3);
      }
      h2:focus {
        outline: none;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    accountId: { type: String, attribute: 'account-id' },
    chart: { type: Boolean, reflect: true },
    view: { state: true },
    step: { state: true },
    move: { state: true },
    productId: { state: true },
    amount: { state: true },
    amountText: { state: true },
    amountError: { state: true },
    formError: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  /** The savings account to show (default: the customer's first open one). */
  declare accountId: string | undefined;
  /** Draws the growth chart (default true; set `chart="false"`… or the property to false to show only the table). */
  declare chart: boolean;
  declare private view: View;
  declare private step: 'edit' | 'review';
  declare private move: Move;
  declare private productId: string;
  declare private amount: Money | undefined;
  declare private amountText: string;
  declare private amountError: string;
  declare private formError: string;
  declare private status: string;
  declare private busy: boolean;

  #intent: Intent | undefined;
  #loadedFor: unknown[] = [];
  #generation = 0;
  #chart: StackedBarsChart | undefined;
  #chartFor: GrowthPoint[] | undefined;

  constructor() {
    super();
    this.accountId = undefined;
    this.chart = true;
    this.view = { state: 'loading' };
    this.step = 'edit';
    this.move = 'add';
    this.productId = '';
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
    const key = [this.activeClient, this.environment?.revision, this.accountId];
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
      const open = accounts.data.filter((a) => a.status === 'open');
      const account = open.find((a) => (this.accountId ? a.id === this.accountId : a.type === 'savings'));
      const wallet = open.find((a) => a.type === 'wallet' && a.currency === (account?.currency ?? 'KES'));
      let transactions: Transaction[] = [];
      if (account) transactions = (await client.transactions.list(account.id, { limit: 100 })).data;
      if (generation !== this.#generation) return;
      const savingsProducts = products.data.filter((p) => p.type === 'savings' && p.status === 'active');
      this.productId ||= savingsProducts[0]?.id ?? '';
      this.view = {
        state: 'ready',
        wallet,
        account,
        products: savingsProducts,
        earned: account ? interestEarned(transactions, account.currency) : undefined,
        growth: account ? growthByMonth(transactions, account.currency) : [],
      };
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.view = { state: 'error', message: this.reportError(error).message };
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    void this.#drawChart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#chart?.destroy();
    this.#chart = undefined;
    this.#chartFor = undefined;
  }

  async #drawChart(): Promise<void> {
    const target = this.renderRoot.querySelector<HTMLElement>('[part~="chart"]');
    const growth = this.view.state === 'ready' ? this.view.growth : undefined;
    if (!target || !growth || growth.length === 0) {
      this.#chart?.destroy();
      this.#chart = undefined;
      this.#chartFor = undefined;
      return;
    }
    if (this.#chartFor === growth && target.childElementCount > 0) return;
    this.#chartFor = growth;
    // The legend's swatches hold the resolved colours (tokens use light-dark(), which a canvas cannot read).
    const swatch = (name: string, fallback: string) => {
      const element = this.renderRoot.querySelector(`.swatch-${name}`);
      return element ? getComputedStyle(element).backgroundColor : fallback;
    };
    const data = {
      labels: growth.map((p) => p.month),
      series: [
        {
          label: this.t('save.growthPrincipal'),
          values: growth.map((p) => forChart(p.deposits)),
          color: swatch('deposits', '#0b6e4f'),
        },
        {
          label: this.t('save.growthInterest'),
          values: growth.map((p) => forChart(p.interest)),
          color: swatch('interest', '#2563eb'),
        },
      ],
      formatValue: (value: number) =>
        new Intl.NumberFormat(this.intlLocale, { notation: 'compact' }).format(value),
    };
    if (this.#chart) this.#chart.update(data);
    else {
      const { drawStackedBarsLazily } = await import('../../charts/index.ts');
      if (this.#chartFor !== growth) return;
      this.#chart = await drawStackedBarsLazily(target, data);
    }
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector(selector) as HTMLElement | null)?.focus();
  }

  #reset(): void {
    this.step = 'edit';
    this.amount = undefined;
    this.amountText = '';
    this.amountError = '';
    this.formError = '';
  }

  /** Edit → review: the amount must be positive (and, to open, at least the product's minimum). */
  async #review(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || this.view.state !== 'ready') return;
    this.formError = '';
    const product = this.view.products.find((p) => p.id === this.productId);
    const opening = this.view.account === undefined;
    const typed = this.amountText.trim() !== '';
    const amount = this.amount;
    if (opening) {
      const min = product?.minOpeningBalance;
      if (typed && amount === undefined) this.amountError = this.t('field.amount.invalid');
      else if (min?.isPositive() && (amount === undefined || amount.lessThan(min)))
        this.amountError = this.t('save.minimum', { amount: this.money(min) });
      else this.amountError = '';
    } else if (amount === undefined) {
      this.amountError = typed ? this.t('field.amount.invalid') : this.t('field.amount.required');
    } else if (!amount.isPositive()) {
      this.amountError = this.t('field.amount.positive');
    } else {
      this.amountError = '';
    }
    if (this.amountError !== '') {
      this.formError = this.t('error.validation_failed');
      await this.#focus('wk-amount-input');
      return;
    }
    const signature = JSON.stringify([opening ? 'open' : this.move, this.productId, this.amount?.toJSON()]);
    if (this.#intent?.signature !== signature)
      this.#intent = { signature, key: newIdempotencyKey(), spent: false };
    this.step = 'review';
    await this.#focus('h2');
  }

  async #confirm(): Promise<void> {
    const client = this.activeClient;
    const intent = this.#intent;
    if (this.busy || this.step !== 'review' || !client || !intent || this.view.state !== 'ready') return;
    const { account, wallet } = this.view;
    if (intent.spent) {
      intent.key = newIdempotencyKey();
      intent.spent = false;
    }
    this.busy = true;
    this.formError = '';
    try {
      if (account === undefined) {
        this.status = this.t('savings.opening');
        const amount = this.amount;
        const opened = await client.accounts.create(
          {
            type: 'savings',
            currency: (wallet?.currency ?? 'KES') as 'KES',
            ...(this.productId ? { productId: this.productId } : {}),
            ...(amount?.isPositive() ? { amount, ...(wallet ? { fundingAccountId: wallet.id } : {}) } : {}),
          },
          { idempotencyKey: intent.key },
        );
        this.status = this.t('savings.opened');
        this.emit('wk-success', { kind: 'savings-opened', resource: opened });
      } else {
        const amount = this.amount as Money;
        this.status = this.t('savings.moving');
        if (this.move === 'withdraw') {
          await client.accounts.withdrawToWallet(account.id, { amount }, { idempotencyKey: intent.key });
        } else {
          if (!wallet) throw Object.assign(new Error('no wallet'), { name: 'NoWallet' });
          await client.transfers.create(
            { fromAccountId: wallet.id, toAccountId: account.id, amount },
            { idempotencyKey: intent.key },
          );
        }
        this.status = this.t(this.move === 'withdraw' ? 'savings.withdrawn' : 'savings.added', {
          amount: this.money(amount),
        });
        this.emit('wk-success', {
          kind: 'savings-moved',
          direction: this.move,
          amount,
          accountId: account.id,
        });
      }
      this.#intent = undefined;
      this.busy = false;
      const status = this.status;
      this.#reset();
      await this.#load();
      this.status = status;
      await this.#focus('h2');
    } catch (error) {
      this.busy = false;
      this.status = '';
      if (isDefinitiveFailure(error)) intent.spent = true;
      const reported = this.reportError(error);
      this.formError = reported.requestId
        ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
        : reported.message;
    }
  }

  #renderAmount(currency: string, label: string) {
    return html`<wk-amount-input
      part="amount-input"
      exportparts="input: amount-field, label: amount-label, error: amount-error"
      name="amount"
      .locale=${this.activeLocale}
      .currency=${currency}
      .label=${label}
      .value=${this.amount}
      .error=${this.amountError}
      @wk-change=${(e: CustomEvent<{ value: Money | undefined; text: string }>) => {
        this.amount = e.detail.value;
        this.amountText = e.detail.text;
        this.amountError = '';
      }}
    ></wk-amount-input>`;
  }

  #renderOpen(view: Extract<View, { state: 'ready' }>) {
    if (view.products.length === 0) return html`<p class="muted">${this.t('savings.noProducts')}</p>`;
    const product = view.products.find((p) => p.id === this.productId) ?? view.products[0];
    const currency = product?.currency ?? 'KES';
    if (this.step === 'review') {
      const amount = this.amount ?? undefined;
      return html`<dl part="summary">
          <dt>${this.t('save.product')}</dt>
          <dd>${product?.name} · ${this.t('save.rate', { rate: formatRate(product?.annualRate ?? '0', this.intlLocale) })}</dd>
          <dt>${this.t('transactions.amount')}</dt>
          <dd>${amount ? this.money(amount) : this.t('transfer.none')}</dd>
        </dl>
        ${this.#reviewActions(this.t('savings.openConfirm', { amount: amount ? this.money(amount) : this.t('transfer.none') }))}`;
    }
    return html`<p class="muted">${this.t('savings.empty')}</p>
      <div class="field">
        <label part="label" for="product">${this.t('save.product')}</label>
        <select
          id="product"
          part="product-select"
          @change=${(e: Event) => {
            this.productId = (e.target as HTMLSelectElement).value;
          }}
        >
          ${view.products.map(
            (p) =>
              html`<option value=${p.id} ?selected=${p.id === product?.id}>
                ${p.name} · ${this.t('save.rate', { rate: formatRate(p.annualRate, this.intlLocale) })}
              </option>`,
          )}
        </select>
      </div>
      ${this.#renderAmount(
        currency,
        view.wallet
          ? this.t('save.fromWallet', { available: this.money(view.wallet.balance.available) })
          : this.t('save.amount', { currency }),
      )}
      ${product?.minOpeningBalance.isPositive() ? html`<p class="muted">${this.t('save.minimum', { amount: this.money(product.minOpeningBalance) })}</p>` : nothing}
      <div class="actions">
        <button part="review-button" type="submit">${this.t('savings.open')}</button>
      </div>`;
  }

  #reviewActions(confirmLabel: string) {
    return html`<div class="actions">
      <button part="edit-button" class="secondary" type="button" @click=${() => this.#backToEdit()}>
        ${this.t('save.edit')}
      </button>
      <button
        part="confirm-button"
        type="button"
        aria-busy=${this.busy ? 'true' : 'false'}
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${() => this.#confirm()}
      >
        ${confirmLabel}
      </button>
    </div>`;
  }

  #backToEdit(): void {
    if (this.busy) return;
    this.step = 'edit';
    this.formError = '';
    void this.#focus('wk-amount-input');
  }

  #renderAccount(view: Extract<View, { state: 'ready' }>, account: Account) {
    const earned = view.earned;
    return html`<p class="muted">${this.t('save.balance')}</p>
      <p part="balance" class="figure">${this.money(account.balance.ledger)}</p>
      ${
        account.interestRate
          ? html`<p part="rate" class="muted">${this.t('save.rate', { rate: formatRate(account.interestRate, this.intlLocale) })}</p>`
          : nothing
      }
      ${
        earned
          ? html`<h3>${this.t('save.interestEarned')}</h3>
              <dl part="interest">
                <dt>${this.t('save.interestGross')}</dt>
                <dd>${this.money(earned.gross)}</dd>
                <dt>${this.t('save.interestTax')}</dt>
                <dd>${this.money(earned.tax.negate())}</dd>
                <dt>${this.t('save.interestNet')}</dt>
                <dd>${this.money(earned.net)}</dd>
                ${
                  account.accruedInterest
                    ? html`<dt>${this.t('save.interestAccrued')}</dt>
                        <dd>${this.money(account.accruedInterest)}</dd>`
                    : nothing
                }
              </dl>`
          : nothing
      }
      ${this.#renderGrowth(view.growth)} ${this.#renderMove(view, account)}`;
  }

  #renderGrowth(growth: GrowthPoint[]) {
    if (growth.length === 0) return nothing;
    return html`<h3 id="growth-title">${this.t('save.growth')}</h3>
      ${
        this.chart
          ? html`<ul class="legend" aria-hidden="true">
                <li><span class="swatch swatch-deposits"></span>${this.t('save.growthPrincipal')}</li>
                <li><span class="swatch swatch-interest"></span>${this.t('save.growthInterest')}</li>
              </ul>
              <div part="chart" class="chart" aria-hidden="true"></div>`
          : nothing
      }
      <table part="growth-table" class=${this.chart ? 'visually-hidden' : ''} aria-labelledby="growth-title">
        <thead>
          <tr>
            <th scope="col">${this.t('save.month')}</th>
            <th scope="col" class="num">${this.t('save.growthPrincipal')}</th>
            <th scope="col" class="num">${this.t('save.growthInterest')}</th>
            <th scope="col" class="num">${this.t('save.balance')}</th>
          </tr>
        </thead>
        <tbody>
          ${growth.map(
            (p) => html`<tr>
              <td>${p.month}</td>
              <td class="num">${this.money(p.deposits)}</td>
              <td class="num">${this.money(p.interest)}</td>
              <td class="num">${this.money(p.balance)}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }

  #renderMove(view: Extract<View, { state: 'ready' }>, account: Account) {
    if (this.step === 'review') {
      const amount = this.amount ? this.money(this.amount) : '';
      return html`<p>${this.move === 'add' ? this.t('savings.add') : this.t('savings.withdraw')}: ${amount}</p>
        ${this.#reviewActions(
          this.move === 'add'
            ? this.t('savings.addConfirm', { amount })
            : this.t('savings.withdrawConfirm', { amount }),
        )}`;
    }
    const moveButton = (move: Move, label: string) =>
      html`<button
        part=${`move-${move}`}
        type="button"
        class=${this.move === move ? '' : 'secondary'}
        aria-pressed=${this.move === move ? 'true' : 'false'}
        @click=${() => {
          this.move = move;
        }}
      >
        ${label}
      </button>`;
    return html`<div class="segmented" role="group" aria-label=${this.t('savings.account')}>
        ${moveButton('add', this.t('savings.add'))} ${moveButton('withdraw', this.t('savings.withdraw'))}
      </div>
      ${this.#renderAmount(
        account.currency,
        this.move === 'add' && view.wallet
          ? this.t('save.fromWallet', { available: this.money(view.wallet.balance.available) })
          : this.t('save.amount', { currency: account.currency }),
      )}
      <div class="actions">
        <button part="review-button" type="submit">${this.t('save.review')}</button>
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
    else body = view.account ? this.#renderAccount(view, view.account) : this.#renderOpen(view);
    const error = view.state === 'error' ? view.message : this.formError;
    return html`<form part="base" novalidate aria-labelledby="title" @submit=${this.#review}>
      <h2 id="title" part="heading" tabindex="-1">${this.t('savings.title')}</h2>
      ${body}
      <p part="error" role="alert">${error}</p>
      <p part="status" role="status" aria-live="polite">${this.status}</p>
    </form>`;
  }
}
