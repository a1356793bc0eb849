import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { WekezaElement } from '../../core/element.ts';
import { BALANCE_EVENTS, LiveEventsController } from '../../core/live-events.ts';
import type { Account, WidgetClient } from '../../core/types.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; account: Account };

/** The wallet of the signed-in customer: the first `wallet` among their accounts. */
export async function findWalletId(client: WidgetClient): Promise<string | undefined> {
  for await (const account of client.accounts.list({ limit: 100 })) {
    if (account.type === 'wallet') return account.id;
  }
  return undefined;
}

/**
 * Ledger and available balance of an account (by default the customer's wallet), with a refresh
 * button and loading and error states. Refreshes itself after a transfer inside the same provider.
 *
 * @fires wk-ready - The first balance is shown.
 * @fires wk-error - Loading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart available - The available balance (the big number).
 * @csspart ledger - The ledger balance line.
 * @csspart refresh-button - The refresh button.
 * @csspart status - The polite live region ("Balance updated").
 * @csspart error - The error message (role=alert).
 * @csspart skeleton - The loading placeholder.
 *
 * @cssprop --wk-color-primary - Refresh button.
 * @cssprop --wk-color-background - Card background.
 * @cssprop --wk-color-text - Text.
 * @cssprop --wk-color-text-muted - Labels.
 * @cssprop --wk-color-danger - Error text.
 * @cssprop --wk-font-family - Font.
 * @cssprop --wk-border-radius - Corners.
 */
export class WkWalletBalance extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      .amount {
        font-size: 2em;
        font-weight: 700;
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      dl {
        margin: 0;
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin-inline-start: 0;
        margin-block-end: calc(var(--_wk-space) * 2);
      }
      [part~='skeleton'] {
        block-size: 3em;
        border-radius: var(--_wk-radius);
        background: var(--_wk-surface);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    accountId: { type: String, attribute: 'account-id', reflect: true },
    state: { state: true },
    announcement: { state: true },
  };

  /** The account to show; by default the signed-in customer's wallet. */
  declare accountId: string | undefined;
  declare private state: State;
  declare private announcement: string;

  #generation = 0;
  /** Live updates (`live.status`): reloads when money moves — a deposit, a withdrawal, a transfer — without a page refresh. */
  readonly live = new LiveEventsController(this, {
    types: BALANCE_EVENTS,
    onEvent: () => void this.refresh(),
  });
  #loadedFor: unknown[] = [];

  constructor() {
    super();
    this.state = { status: 'loading' };
    this.announcement = '';
  }

  /** Reloads the balance. */
  async refresh(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    if (this.state.status !== 'ready') this.state = { status: 'loading' };
    try {
      const id = this.accountId || (await findWalletId(client));
      if (id === undefined) {
        if (generation === this.#generation)
          this.state = { status: 'error', message: this.t('balance.noWallet') };
        return;
      }
      const account = await client.accounts.retrieve(id);
      if (generation !== this.#generation) return;
      const wasReady = this.state.status === 'ready';
      this.state = { status: 'ready', account };
      if (wasReady) this.announcement = this.t('balance.updated');
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient, this.accountId, this.environment?.revision];
    if (key.some((value, index) => value !== this.#loadedFor[index]) || this.#loadedFor.length === 0) {
      this.#loadedFor = key;
      void this.refresh();
    }
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const state = this.state;
    return html`
      <section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
        <h2 id="title" part="heading">${this.t('balance.title')}</h2>
        ${
          state.status === 'loading'
            ? html`<div part="skeleton" role="status">
                <span class="visually-hidden">${this.t('balance.loading')}</span>
              </div>`
            : state.status === 'error'
              ? html`<p part="error" role="alert">${state.message}</p>
                  ${
                    state.requestId
                      ? html`<p class="muted">${this.t('error.reference', { requestId: state.requestId })}</p>`
                      : nothing
                  }`
              : html`<dl>
                  <dt>${this.t('balance.available')}</dt>
                  <dd part="available" class="amount">${this.money(state.account.balance.available)}</dd>
                  <dt>${this.t('balance.ledger')}</dt>
                  <dd part="ledger">${this.money(state.account.balance.ledger)}</dd>
                </dl>`
        }
        <div class="actions">
          <button
            part="refresh-button"
            class="secondary"
            type="button"
            ?disabled=${state.status === 'loading'}
            @click=${() => this.refresh()}
          >
            ${state.status === 'error' ? this.t('common.retry') : this.t('common.refresh')}
          </button>
        </div>
        <p part="status" class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      </section>
    `;
  }
}
