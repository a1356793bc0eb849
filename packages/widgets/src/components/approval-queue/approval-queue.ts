import type { Approval } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import { StaffElement } from '../../core/staff.ts';
import type { StaffMessageKey } from '../../i18n/staff/en.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; approvals: Approval[]; hasMore: boolean };

/**
 * The maker-checker queue: requests one member of staff made (an override above the threshold, a
 * policy change, a model activation) that a second must decide. Each row shows what is asked, by
 * whom and why; the checker approves (it is carried out at once) or rejects, with a mandatory
 * reason. The bank refuses a checker deciding their own request (403), and the widget says so.
 *
 * @fires wk-ready - The queue is shown.
 * @fires wk-success - A request was decided (detail: `{ kind: 'approval', resource }`).
 * @fires wk-select - A subject link was chosen (detail: `{ kind: 'application' | …, id }`).
 * @fires wk-error - Loading or deciding failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart list - The list of requests.
 * @csspart item - One request.
 * @csspart reason-input - The checker's reason.
 * @csspart approve-button - Approves the request.
 * @csspart reject-button - Rejects the request.
 * @csspart status - The polite live region.
 * @csspart error - An error message (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons.
 * @cssprop --wk-color-danger - Errors.
 */
export class WkApprovalQueue extends StaffElement {
  static override properties: PropertyDeclarations = {
    status: { type: String, reflect: true },
    state: { state: true },
    reasons: { state: true },
    errors: { state: true },
    busyId: { state: true },
    announcement: { state: true },
  };

  /** Which requests to list: `pending` (default), `approved` or `rejected`. */
  declare status: 'pending' | 'approved' | 'rejected';
  declare private state: State;
  declare private reasons: Record<string, string>;
  declare private errors: Record<string, string>;
  declare private busyId: string | undefined;
  declare private announcement: string;

  #keys = new Map<string, { signature: string; key: string }>();

  constructor() {
    super();
    this.status = 'pending';
    this.state = { status: 'loading' };
    this.reasons = {};
    this.errors = {};
    this.busyId = undefined;
    this.announcement = '';
  }

  protected override loadKey(): unknown[] {
    return [this.status];
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
      const page = await client.approvals.list({ status: this.status, limit: 50 });
      if (!current()) return;
      this.state = { status: 'ready', approvals: page.data, hasMore: page.hasMore };
      this.markReady();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  async #decide(approval: Approval, action: 'approve' | 'reject'): Promise<void> {
    const reason = (this.reasons[approval.id] ?? '').trim();
    if (reason.length < 3) {
      this.errors = { ...this.errors, [approval.id]: this.s('queue.reasonRequired') };
      this.renderRoot.querySelector<HTMLTextAreaElement>(`#reason-${approval.id}`)?.focus();
      return;
    }
    const client = this.staffClient;
    if (!client || this.busyId) return;
    const signature = JSON.stringify([action, reason]);
    let intent = this.#keys.get(approval.id);
    if (intent?.signature !== signature) {
      intent = { signature, key: newIdempotencyKey() };
      this.#keys.set(approval.id, intent);
    }
    this.busyId = approval.id;
    this.errors = { ...this.errors, [approval.id]: '' };
    try {
      const decided = await client.approvals[action](approval.id, { reason }, { idempotencyKey: intent.key });
      this.#keys.delete(approval.id);
      this.announcement = this.s(action === 'approve' ? 'queue.approved' : 'queue.rejected', {
        id: decided.id,
      });
      if (this.state.status === 'ready') {
        this.state = { ...this.state, approvals: this.state.approvals.filter((a) => a.id !== approval.id) };
      }
      this.emit('wk-success', { kind: 'approval', resource: decided });
    } catch (error) {
      if (isDefinitiveFailure(error)) this.#keys.delete(approval.id);
      const described = describeError(error);
      const reported = this.reportError(error);
      this.errors = {
        ...this.errors,
        [approval.id]: described.code === 'forbidden' ? this.s('queue.ownRequest') : reported.message,
      };
    } finally {
      this.busyId = undefined;
    }
  }

  #payload(approval: Approval) {
    const entries = Object.entries(approval.payload).filter(([, v]) => v !== null && typeof v !== 'object');
    const money = Object.entries(approval.payload).filter(
      ([, v]) => typeof v === 'object' && v !== null && 'amount' in v && 'currency' in v,
    ) as [string, { amount: string; currency: string }][];
    return html`${entries.map(([k, v]) => html`<span class="badge">${k}: ${String(v)}</span> `)}${money.map(
      ([k, v]) => html`<span class="badge">${k}: ${v.currency} ${v.amount}</span> `,
    )}`;
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
      <h2 id="title" part="heading">${this.s('queue.title')}</h2>
      ${
        state.status === 'loading'
          ? html`<p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<p part="error" role="alert">${state.message}</p>
                <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.retry')}</button>`
            : state.approvals.length === 0
              ? html`<p class="muted">${this.s('queue.empty')}</p>`
              : html`<ul part="list" class="results">
                  ${state.approvals.map((a) => this.#renderItem(a))}
                </ul>`
      }
      <div class="actions">
        <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.refresh')}</button>
      </div>
      <p part="status" class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
    </section>`;
  }

  #renderItem(a: Approval) {
    const busy = this.busyId === a.id;
    const error = this.errors[a.id];
    const subjectKind = a.subject.type === 'loan_application' ? 'application' : undefined;
    return html`<li part="item" class="item">
      <h3>${this.s(`kind.${a.kind}` as StaffMessageKey) || a.kind} · ${a.id}</h3>
      <dl class="facts">
        <dt>${this.s('queue.subject')}</dt>
        <dd>
          ${
            subjectKind
              ? html`<button class="link" type="button" @click=${() => this.emit('wk-select', { kind: subjectKind, id: a.subject.id })}>
                  ${a.subject.id}
                </button>`
              : html`${a.subject.type} ${a.subject.id}`
          }
        </dd>
        <dt>${this.s('queue.asked')}</dt>
        <dd>${this.s('queue.byAt', { by: a.makerId, at: this.dateTime(a.createdAt) })}</dd>
        <dt>${this.s('queue.makerReason')}</dt>
        <dd>${a.makerReason}</dd>
        <dt>${this.s('queue.details')}</dt>
        <dd>${this.#payload(a)}</dd>
        ${
          a.status !== 'pending'
            ? html`<dt>${this.s('queue.decided')}</dt>
                <dd>${a.checkerId} · ${a.checkerReason} · ${a.decidedAt ? this.dateTime(a.decidedAt) : ''}</dd>`
            : nothing
        }
      </dl>
      ${
        a.status === 'pending'
          ? html`<div class="field">
                <label for="reason-${a.id}">${this.s('queue.reason')}</label>
                <textarea
                  id="reason-${a.id}"
                  part="reason-input"
                  aria-invalid=${error ? 'true' : 'false'}
                  aria-describedby="error-${a.id}"
                  .value=${this.reasons[a.id] ?? ''}
                  @input=${(e: Event) => {
                    this.reasons = { ...this.reasons, [a.id]: (e.target as HTMLTextAreaElement).value };
                  }}
                ></textarea>
                <p id="error-${a.id}" class="field-error" role=${error ? 'alert' : nothing}>${error ?? ''}</p>
              </div>
              <div class="actions">
                <button part="approve-button" type="button" ?disabled=${busy} @click=${() => this.#decide(a, 'approve')}>
                  ${this.s('queue.approve')}
                </button>
                <button part="reject-button" class="secondary" type="button" ?disabled=${busy} @click=${() => this.#decide(a, 'reject')}>
                  ${this.s('queue.reject')}
                </button>
              </div>`
          : nothing
      }
    </li>`;
  }
}
