import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { WekezaElement } from '../../core/element.ts';
import { BALANCE_EVENTS, LiveEventsController } from '../../core/live-events.ts';
import type { Transaction } from '../../core/types.ts';
import { findWalletId } from '../wallet-balance/wallet-balance.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready' };

/**
 * An account's transactions, newest first, with the running balance after each line; pages with
 * "Load more"; loading, empty and error states. By default the customer's wallet. Refreshes itself
 * after a transfer inside the same provider.
 *
 * @fires wk-ready - The first page is shown.
 * @fires wk-error - Loading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart table - The table of transactions.
 * @csspart row - One transaction row.
 * @csspart date - The date cell.
 * @csspart description - The description cell.
 * @csspart amount - The amount cell (also `credit` or `debit`).
 * @csspart balance - The running balance cell.
 * @csspart empty - The "no transactions" message.
 * @csspart load-more-button - The "Load more" button.
 * @csspart status - The polite live region.
 * @csspart error - The error message (role=alert).
 * @csspart skeleton - The loading placeholder.
 *
 * @cssprop --wk-color-success - Money in.
 * @cssprop --wk-color-danger - Money out and errors.
 * @cssprop --wk-color-border - Row separators.
 * @cssprop --wk-color-background - Card background.
 * @cssprop --wk-font-family - Font.
 */
export class WkTransactions extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        text-align: start;
        padding-block: calc(var(--_wk-space) * 2);
        padding-inline: calc(var(--_wk-space) * 2);
        border-block-end: 1px solid var(--_wk-border);
      }
      th {
        color: var(--_wk-muted);
        font-weight: 600;
      }
      .num {
        text-align: end;
        white-space: nowrap;
      }
      [part~='credit'] {
        color: var(--_wk-success);
      }
      [part~='debit'] {
        color: var(--_wk-text);
      }
      [part~='skeleton'] {
        block-size: 8em;
        border-radius: var(--_wk-radius);
        background: var(--_wk-surface);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    accountId: { type: String, attribute: 'account-id', reflect: true },
    pageSize: { type: Number, attribute: 'page-size' },
    state: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    loadingMore: { state: true },
  };

  /** The account whose history to show; by default the signed-in customer's wallet. */
  declare accountId: string | undefined;
  /** Transactions per page (1..100, default 10). */
  declare pageSize: number;
  declare private state: State;
  declare private items: Transaction[];
  declare private nextCursor: string | null;
  declare private loadingMore: boolean;

  #generation = 0;
  /** Live updates (`live.status`): reloads when money moves — a deposit, a withdrawal, a transfer — without a page refresh. */
  readonly live = new LiveEventsController(this, {
    types: BALANCE_EVENTS,
    onEvent: () => void this.refresh(),
  });
  #resolvedAccountId: string | undefined;
  #loadedFor: unknown[] = [];

  constructor() {
    super();
    this.pageSize = 10;
    this.state = { status: 'loading' };
    this.items = [];
    this.nextCursor = null;
    this.loadingMore = false;
  }

  /** Reloads the first page. */
  async refresh(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    this.state = { status: 'loading' };
    try {
      const id = this.accountId || (await findWalletId(client));
      if (id === undefined) {
        if (generation === this.#generation)
          this.state = { status: 'error', message: this.t('balance.noWallet') };
        return;
      }
      this.#resolvedAccountId = id;
      const page = await client.transactions.list(id, { limit: this.#limit() });
      if (generation !== this.#generation) return;
      this.items = page.data;
      this.nextCursor = page.hasMore ? page.nextCursor : null;
      this.state = { status: 'ready' };
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  /** Appends the next page. */
  async loadMore(): Promise<void> {
    const client = this.activeClient;
    const id = this.#resolvedAccountId;
    if (!client || id === undefined || this.nextCursor === null || this.loadingMore) return;
    const generation = this.#generation;
    this.loadingMore = true;
    try {
      const page = await client.transactions.list(id, {
        limit: this.#limit(),
        startingAfter: this.nextCursor,
      });
      if (generation !== this.#generation) return;
      this.items = [...this.items, ...page.data];
      this.nextCursor = page.hasMore ? page.nextCursor : null;
    } catch (error) {
      if (generation !== this.#generation) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    } finally {
      this.loadingMore = false;
    }
  }

  #limit(): number {
    const size = Math.trunc(this.pageSize);
    return size >= 1 && size <= 100 ? size : 10;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient, this.accountId, this.pageSize, this.environment?.revision];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.refresh();
    }
  }

  #row(item: Transaction) {
    const direction = item.direction === 'credit' ? 'credit' : 'debit';
    return html`<tr part="row">
      <td part="date">${this.date(item.effectiveDate)}</td>
      <td part="description">${item.description}</td>
      <td part="amount ${direction}" class="num">
        <span class="visually-hidden">${this.t(`transactions.${direction}`)}</span>
        ${this.money(item.amount, 'exceptZero')}
      </td>
      <td part="balance" class="num">${this.money(item.balanceAfter)}</td>
    </tr>`;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const state = this.state;
    let body: unknown;
    if (state.status === 'loading') {
      body = html`<div part="skeleton" role="status">
        <span class="visually-hidden">${this.t('transactions.loading')}</span>
      </div>`;
    } else if (state.status === 'error') {
      body = html`<p part="error" role="alert">${state.message}</p>
        ${state.requestId ? html`<p class="muted">${this.t('error.reference', { requestId: state.requestId })}</p>` : nothing}
        <div class="actions">
          <button part="retry-button" class="secondary" type="button" @click=${() => this.refresh()}>
            ${this.t('common.retry')}
          </button>
        </div>`;
    } else if (this.items.length === 0) {
      body = html`<p part="empty" class="muted">${this.t('transactions.empty')}</p>`;
    } else {
      body = html`<table part="table">
          <caption class="visually-hidden">${this.t('transactions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('transactions.date')}</th>
              <th scope="col">${this.t('transactions.description')}</th>
              <th scope="col" class="num">${this.t('transactions.amount')}</th>
              <th scope="col" class="num">${this.t('transactions.balance')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.items.map((item) => this.#row(item))}
          </tbody>
        </table>
        ${
          this.nextCursor !== null
            ? html`<div class="actions">
                <button
                  part="load-more-button"
                  class="secondary"
                  type="button"
                  aria-busy=${this.loadingMore ? 'true' : 'false'}
                  @click=${() => this.loadMore()}
                >
                  ${this.loadingMore ? this.t('common.loading') : this.t('transactions.loadMore')}
                </button>
              </div>`
            : nothing
        }`;
    }
    return html`<section part="base" aria-labelledby="title">
      <h2 id="title" part="heading">${this.t('transactions.title')}</h2>
      ${body}
      <p part="status" class="visually-hidden" role="status" aria-live="polite">
        ${state.status === 'ready' ? this.t('transactions.shown', { count: this.items.length }) : ''}
      </p>
    </section>`;
  }
}
