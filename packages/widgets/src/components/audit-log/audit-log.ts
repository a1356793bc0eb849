import type { AuditEvent } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { checkInclusion, type InclusionCheck } from '../../core/audit-proof.ts';
import { describeError } from '../../core/errors.ts';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; events: AuditEvent[]; hasMore: boolean };

/** A filter looks through at most this many older events before it stops and says so. */
const SCAN_LIMIT = 5000;

/** The outcome of the bank recomputing the whole log. */
type LogCheck =
  | { status: 'checking' }
  | {
      status: 'done';
      valid: boolean;
      checked: number;
      treeSize: number;
      firstBrokenId: string | null;
      unsealed: number;
      reason: string | null;
    }
  | { status: 'error'; message: string };

/**
 * The bank's immutable audit log for administrators: newest first, filtered by action, actor or
 * subject; an event's before and after; its inclusion proof checked in this browser against the
 * latest signed checkpoint (Ed25519 signature, RFC 9162 leaf hash and audit path); and the bank's
 * recomputation of the whole log. The filter looks through the events read so far and, while it
 * shows fewer than a page of matches, reads older ones (up to 5,000 events), since a day's staff
 * actions can sit far behind the system's daily-close events.
 *
 * @fires wk-ready - The first page is shown.
 * @fires wk-select - An event was opened (detail: `{ kind: 'audit-event', id }`).
 * @fires wk-error - Loading or a check failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart filter-input - The filter.
 * @csspart table - The events table.
 * @csspart row - One event row.
 * @csspart detail - The opened event (before/after, proof).
 * @csspart verify-event-button - Checks the opened event's inclusion proof.
 * @csspart proof-result - The outcome of that check.
 * @csspart verify-log-button - Asks the bank to recompute the whole log.
 * @csspart log-result - The outcome of that.
 * @csspart load-more - Loads older events.
 * @csspart status - The polite live region.
 * @csspart error - The error message (role=alert).
 *
 * @cssprop --wk-color-success - A verified check.
 * @cssprop --wk-color-danger - A failed check.
 */
export class WkAuditLog extends StaffElement {
  static override properties: PropertyDeclarations = {
    pageSize: { type: Number, attribute: 'page-size' },
    filter: { type: String },
    state: { state: true },
    selected: { state: true },
    proof: { state: true },
    logCheck: { state: true },
    loadingMore: { state: true },
    scanning: { state: true },
  };

  /** Events per page (1–100, default 25). */
  declare pageSize: number;
  /** Shows only events whose action, actor, subject or reason contain this text. */
  declare filter: string;
  declare private state: State;
  declare private selected: AuditEvent | undefined;
  declare private proof: InclusionCheck | undefined;
  declare private logCheck: LogCheck | undefined;
  declare private loadingMore: boolean;
  declare private scanning: boolean;
  #scanGeneration = 0;

  constructor() {
    super();
    this.pageSize = 25;
    this.filter = '';
    this.state = { status: 'loading' };
    this.selected = undefined;
    this.proof = undefined;
    this.logCheck = undefined;
    this.loadingMore = false;
    this.scanning = false;
  }

  protected override async load(): Promise<void> {
    const client = this.staffClient;
    if (!client) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    const current = this.begin();
    if (this.state.status !== 'ready') this.state = { status: 'loading' };
    try {
      const page = await client.auditEvents.list({ limit: this.pageSize });
      if (!current()) return;
      this.state = { status: 'ready', events: [...page.data], hasMore: page.hasNextPage() };
      this.markReady();
      if (this.filter.trim()) void this.#scan();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  /** Loads the next `limit` older events (after the last one shown). */
  async loadMore(limit = this.pageSize): Promise<void> {
    const client = this.staffClient;
    const state = this.state;
    if (!client || state.status !== 'ready' || !state.hasMore) return;
    const last = state.events.at(-1);
    const page = await client.auditEvents.list({ limit, ...(last ? { startingAfter: last.id } : {}) });
    if (this.state !== state) return;
    this.state = { status: 'ready', events: [...state.events, ...page.data], hasMore: page.hasNextPage() };
  }

  /**
   * With a filter, reads older events (100 at a time, up to a limit) until a page of matches is
   * shown or the log ends: the staff actions of a day can be far behind the system's daily close.
   */
  async #scan(): Promise<void> {
    const scan = ++this.#scanGeneration;
    this.scanning = true;
    try {
      while (scan === this.#scanGeneration && this.state.status === 'ready' && this.state.hasMore) {
        const matches = this.state.events.filter((e) => this.#matches(e)).length;
        if (matches >= this.pageSize || this.state.events.length >= SCAN_LIMIT) break;
        await this.loadMore(100);
      }
    } catch (error) {
      this.reportError(error);
    } finally {
      if (scan === this.#scanGeneration) this.scanning = false;
    }
  }

  /** Checks the opened event's inclusion proof in the browser. */
  async verifySelected(): Promise<InclusionCheck | undefined> {
    const event = this.selected;
    const client = this.staffClient;
    if (!event || !client) return undefined;
    this.proof = { status: 'checking' };
    try {
      const result = await checkInclusion(client, event);
      if (this.selected === event) this.proof = result;
      return result;
    } catch (error) {
      const described = describeError(error);
      const result: InclusionCheck =
        described.code === 'not_sealed'
          ? { status: 'unsealed' }
          : { status: 'failed', reason: this.reportError(error).message };
      if (this.selected === event) this.proof = result;
      return result;
    }
  }

  /** Asks the bank to recompute the whole log against its latest signed checkpoint. */
  async verifyLog(): Promise<void> {
    const client = this.staffClient;
    if (!client) return;
    this.logCheck = { status: 'checking' };
    try {
      const result = await client.auditEvents.verify();
      this.logCheck = { status: 'done', ...result };
    } catch (error) {
      this.logCheck = { status: 'error', message: this.reportError(error).message };
    }
  }

  #open(event: AuditEvent): void {
    this.selected = event;
    this.proof = undefined;
    this.emit('wk-select', { kind: 'audit-event', id: event.id });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#detail-title')?.focus());
  }

  #matches(event: AuditEvent): boolean {
    const needle = this.filter.trim().toLowerCase();
    if (!needle) return true;
    return [
      event.action,
      event.actor.id,
      event.actor.role,
      event.subject.type,
      event.subject.id ?? '',
      event.reason ?? '',
      event.id,
    ].some((value) => value.toLowerCase().includes(needle));
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    const shown = state.status === 'ready' ? state.events.filter((e) => this.#matches(e)) : [];
    return html`<section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
      <h2 id="title" part="heading">${this.s('audit.title')}</h2>
      <div class="actions">
        <button part="verify-log-button" type="button" ?disabled=${this.logCheck?.status === 'checking'} @click=${() => this.verifyLog()}>
          ${this.logCheck?.status === 'checking' ? this.s('audit.verifyingLog') : this.s('audit.verifyLog')}
        </button>
        <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.refresh')}</button>
      </div>
      <div part="log-result" role="status" aria-live="polite">${this.#logResult()}</div>
      <div class="field">
        <label for="filter">${this.s('audit.filter')}</label>
        <input
          id="filter"
          part="filter-input"
          type="search"
          .value=${this.filter}
          @input=${(e: Event) => {
            this.filter = (e.target as HTMLInputElement).value;
            if (this.filter.trim()) void this.#scan();
            else this.#scanGeneration += 1;
          }}
        />
      </div>
      ${
        state.status === 'loading'
          ? html`<p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<p part="error" role="alert">${state.message}</p>`
            : shown.length === 0
              ? html`<p class="muted">${this.s('audit.empty')}</p>`
              : html`<div class="scroll"><table part="table">
                  <caption class="visually-hidden">${this.s('audit.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${this.s('audit.when')}</th>
                      <th scope="col">${this.s('audit.actor')}</th>
                      <th scope="col">${this.s('audit.action')}</th>
                      <th scope="col">${this.s('audit.subject')}</th>
                      <th scope="col">${this.s('audit.sealed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${shown.map(
                      (
                        e,
                      ) => html`<tr part="row" aria-selected=${this.selected?.id === e.id ? 'true' : 'false'}>
                        <td>${this.dateTime(e.createdAt)}</td>
                        <td>${e.actor.id} <span class="muted">(${e.actor.role})</span></td>
                        <td><button class="link" type="button" @click=${() => this.#open(e)}>${e.action}</button></td>
                        <td>${e.subject.type}${e.subject.id ? html` ${e.subject.id}` : nothing}</td>
                        <td>${e.seal ? `#${e.seal.leafIndex}` : this.s('audit.pending')}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table></div>`
      }
      ${
        state.status === 'ready' && state.hasMore
          ? html`<div class="actions"><button
              part="load-more"
              class="secondary"
              type="button"
              ?disabled=${this.loadingMore || this.scanning}
              @click=${async () => {
                this.loadingMore = true;
                try {
                  await this.loadMore();
                } catch (error) {
                  this.reportError(error);
                } finally {
                  this.loadingMore = false;
                }
              }}
            >${this.t('transactions.loadMore')}</button></div>`
          : nothing
      }
      ${this.selected ? this.#renderDetail(this.selected) : nothing}
      <p part="status" class="visually-hidden" role="status" aria-live="polite">
        ${
          this.scanning
            ? this.s('audit.scanning')
            : state.status === 'ready'
              ? this.s('audit.shown', { count: shown.length })
              : ''
        }
      </p>
    </section>`;
  }

  #logResult() {
    const check = this.logCheck;
    if (!check) return nothing;
    if (check.status === 'checking') return html`<p>${this.s('audit.verifyingLog')}</p>`;
    if (check.status === 'error') return html`<p class="bad">${check.message}</p>`;
    return check.valid
      ? html`<p class="good">${this.s('audit.logValid', { checked: check.checked, size: check.treeSize, unsealed: check.unsealed })}</p>`
      : html`<p class="bad">${this.s('audit.logBroken', { id: check.firstBrokenId ?? '?', reason: check.reason ?? '' })}</p>`;
  }

  #renderDetail(e: AuditEvent) {
    const proof = this.proof;
    return html`<section part="detail" class="detail" aria-labelledby="detail-title">
      <h3 id="detail-title" tabindex="-1">${e.action} · ${e.id}</h3>
      <dl class="facts">
        <dt>${this.s('audit.when')}</dt><dd>${this.dateTime(e.createdAt)}</dd>
        <dt>${this.s('audit.actor')}</dt><dd>${e.actor.id} (${e.actor.role})</dd>
        <dt>${this.s('audit.subject')}</dt><dd>${e.subject.type} ${e.subject.id ?? ''}</dd>
        <dt>${this.s('audit.reason')}</dt><dd>${e.reason ?? '—'}</dd>
        <dt>${this.s('audit.request')}</dt><dd>${e.requestId ?? '—'}</dd>
      </dl>
      <div class="grid">
        <div><h4>${this.s('audit.before')}</h4><pre tabindex="0" aria-label=${this.s('audit.before')}>${JSON.stringify(e.before, null, 2)}</pre></div>
        <div><h4>${this.s('audit.after')}</h4><pre tabindex="0" aria-label=${this.s('audit.after')}>${JSON.stringify(e.after, null, 2)}</pre></div>
      </div>
      <div class="actions">
        <button part="verify-event-button" type="button" ?disabled=${proof?.status === 'checking'} @click=${() => this.verifySelected()}>
          ${this.s('audit.verifyEvent')}
        </button>
        <button class="secondary" type="button" @click=${() => {
          this.selected = undefined;
        }}>${this.s('audit.close')}</button>
      </div>
      <div part="proof-result" role="status" aria-live="polite">
        ${
          !proof
            ? nothing
            : proof.status === 'checking'
              ? html`<p>${this.s('audit.checking')}</p>`
              : proof.status === 'unsealed'
                ? html`<p class="muted">${this.s('audit.unsealed')}</p>`
                : proof.status === 'verified'
                  ? html`<p class="good">${this.s('audit.verified', { index: proof.leafIndex, size: proof.treeSize, key: proof.keyId })}</p>`
                  : html`<p class="bad">${this.s('audit.notVerified', { reason: proof.reason })}</p>`
        }
      </div>
    </section>`;
  }
}
