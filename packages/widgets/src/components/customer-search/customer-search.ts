import type { CustomerSummary as Customer } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'idle' }
  | { status: 'searching'; query: string }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; query: string; results: Customer[]; hasMore: boolean };

/**
 * Bankers find a customer by name, phone, national ID, e-mail, account ID or loan ID. Each result
 * is a button; choosing one fires `wk-select` (`{ kind: 'customer', id }`) for the host to open the
 * Customer 360. The bank audits every staff search.
 *
 * @fires wk-select - A customer was chosen (detail: `{ kind: 'customer', id }`).
 * @fires wk-ready - The widget is usable.
 * @fires wk-error - The search failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart form - The search form.
 * @csspart search-input - The query input.
 * @csspart search-button - The search button.
 * @csspart results - The results list.
 * @csspart result - One result button.
 * @csspart status - The polite live region (how many results).
 * @csspart error - The error message (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons and links.
 * @cssprop --wk-color-danger - Errors.
 */
export class WkCustomerSearch extends StaffElement {
  static override properties: PropertyDeclarations = {
    query: { type: String, reflect: true },
    pageSize: { type: Number, attribute: 'page-size' },
    state: { state: true },
    text: { state: true },
  };

  /** A query to search for at once (e.g. from the address bar). */
  declare query: string | undefined;
  /** Results per search (1–100, default 20). */
  declare pageSize: number;
  declare private state: State;
  declare private text: string;

  constructor() {
    super();
    this.pageSize = 20;
    this.state = { status: 'idle' };
    this.text = '';
  }

  protected override loadKey(): unknown[] {
    return [this.query];
  }

  protected override load(): void {
    this.markReady();
    if (this.query) {
      this.text = this.query;
      void this.search(this.query);
    }
  }

  /** Searches for `query` (at least 2 characters). */
  async search(query: string): Promise<void> {
    const trimmed = query.trim();
    if (trimmed.length < 2) {
      this.state = { status: 'error', message: this.s('search.tooShort') };
      return;
    }
    const staff = this.staffResources;
    if (!staff) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    const current = this.begin();
    this.state = { status: 'searching', query: trimmed };
    try {
      const page = await staff.customers.list({ query: trimmed, limit: this.pageSize });
      if (!current()) return;
      this.state = { status: 'ready', query: trimmed, results: page.data, hasMore: page.hasMore };
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  #choose(customer: Customer): void {
    this.emit('wk-select', { kind: 'customer', id: customer.id });
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section part="base" aria-labelledby="title">
      <h2 id="title" part="heading">${this.s('search.title')}</h2>
      <form
        part="form"
        role="search"
        @submit=${(event: Event) => {
          event.preventDefault();
          void this.search(this.text);
        }}
      >
        <div class="field">
          <label for="q">${this.s('search.label')}</label>
          <input
            id="q"
            part="search-input"
            type="search"
            autocomplete="off"
            .value=${this.text}
            aria-describedby="hint"
            @input=${(event: Event) => {
              this.text = (event.target as HTMLInputElement).value;
            }}
          />
          <p id="hint" class="muted">${this.s('search.hint')}</p>
        </div>
        <button part="search-button" type="submit" ?disabled=${state.status === 'searching'}>
          ${state.status === 'searching' ? this.s('search.searching') : this.s('search.submit')}
        </button>
      </form>
      ${state.status === 'error' ? html`<p part="error" role="alert">${state.message}</p>` : nothing}
      ${
        state.status === 'ready'
          ? state.results.length === 0
            ? html`<p class="muted">${this.s('search.none', { query: state.query })}</p>`
            : html`<ul part="results" class="results">
                ${state.results.map(
                  (c) => html`<li>
                    <button part="result" class="link" type="button" @click=${() => this.#choose(c)}>
                      ${c.fullName}
                    </button>
                    <span class="muted">
                      · ${c.phone ?? c.email} · ${this.s('customer.tier', { tier: c.kycTier })} · ${c.id}</span
                    >
                  </li>`,
                )}
              </ul>`
          : nothing
      }
      <p part="status" class="visually-hidden" role="status" aria-live="polite">
        ${
          state.status === 'ready'
            ? this.s(state.hasMore ? 'search.countMore' : 'search.count', { count: state.results.length })
            : state.status === 'searching'
              ? this.s('search.searching')
              : ''
        }
      </p>
    </section>`;
  }
}
