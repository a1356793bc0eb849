import type { Approval, LoanApplication } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; application: LoanApplication };

type Outcome = { kind: 'applied'; application: LoanApplication } | { kind: 'pending'; approval: Approval };

const REASON_MIN = 3;
const REASON_MAX = 500;

/**
 * A banker reviews one loan application: the bank's automated decision (kept whatever the banker
 * does), its score, probability of default, grade, the model and policy versions, the reasons and
 * the factors that drove it, and the offer. A banker can override it — approve or decline — with a
 * mandatory reason kept in the audit log. Above the bank's threshold the override waits for a second
 * banker (maker-checker) and the widget says so. One Idempotency-Key per override intent.
 *
 * @fires wk-ready - The application is shown.
 * @fires wk-success - The override was applied or sent for approval (detail: `{ kind: 'override', resource, pendingApproval }`).
 * @fires wk-select - The customer link was chosen (detail: `{ kind: 'customer', id }`).
 * @fires wk-error - Loading or the override failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart decision - The automated decision badge.
 * @csspart facts - Score, PD, grade, versions, amount.
 * @csspart reasons - The list of reasons.
 * @csspart override-form - The override form.
 * @csspart decision-select - Approve or decline.
 * @csspart reason-input - The mandatory reason.
 * @csspart override-button - Submits the override.
 * @csspart status - The polite live region (outcome).
 * @csspart error - The error message (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons.
 * @cssprop --wk-color-danger - Errors and declines.
 * @cssprop --wk-color-success - Approvals.
 */
export class WkApplicationReview extends StaffElement {
  static override properties: PropertyDeclarations = {
    applicationId: { type: String, attribute: 'application-id', reflect: true },
    state: { state: true },
    choice: { state: true },
    reason: { state: true },
    reasonError: { state: true },
    formError: { state: true },
    busy: { state: true },
    outcome: { state: true },
  };

  /** The application to review (`app_…`). */
  declare applicationId: string | undefined;
  declare private state: State;
  declare private choice: 'approve' | 'decline';
  declare private reason: string;
  declare private reasonError: string;
  declare private formError: string;
  declare private busy: boolean;
  declare private outcome: Outcome | undefined;

  #intent: { signature: string; key: string } | undefined;

  constructor() {
    super();
    this.state = { status: 'loading' };
    this.choice = 'approve';
    this.reason = '';
    this.reasonError = '';
    this.formError = '';
    this.busy = false;
    this.outcome = undefined;
  }

  protected override loadKey(): unknown[] {
    return [this.applicationId];
  }

  protected override async load(): Promise<void> {
    const client = this.staffClient;
    const id = this.applicationId;
    if (!client || !id) {
      this.state = {
        status: 'error',
        message: !client ? this.reportError(undefined, 'no_client').message : this.s('review.none'),
      };
      return;
    }
    const current = this.begin();
    if (this.state.status !== 'ready' || this.state.application.id !== id) this.state = { status: 'loading' };
    try {
      const application = await client.loanApplications.retrieve(id);
      if (!current()) return;
      if (this.state.status === 'ready' && this.state.application.id !== id) this.outcome = undefined;
      this.state = { status: 'ready', application };
      this.markReady();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.state.status !== 'ready' || this.busy) return;
    const reason = this.reason.trim();
    if (reason.length < REASON_MIN || reason.length > REASON_MAX) {
      this.reasonError = this.s('review.reasonRequired', { min: REASON_MIN, max: REASON_MAX });
      this.renderRoot.querySelector<HTMLTextAreaElement>('#reason')?.focus();
      return;
    }
    this.reasonError = '';
    this.formError = '';
    const client = this.staffClient;
    if (!client) return;
    const application = this.state.application;
    const signature = JSON.stringify([application.id, this.choice, reason]);
    if (this.#intent?.signature !== signature) this.#intent = { signature, key: newIdempotencyKey() };
    const intent = this.#intent;
    this.busy = true;
    try {
      const result = await client.loanApplications.override(
        application.id,
        { decision: this.choice, reason },
        { idempotencyKey: intent.key },
      );
      const pending = 'kind' in result;
      this.outcome = pending
        ? { kind: 'pending', approval: result }
        : { kind: 'applied', application: result as LoanApplication };
      if (!pending) this.state = { status: 'ready', application: result as LoanApplication };
      this.#intent = undefined;
      this.reason = '';
      this.emit('wk-success', { kind: 'override', resource: result, pendingApproval: pending });
    } catch (error) {
      if (isDefinitiveFailure(error)) this.#intent = undefined;
      const described = describeError(error);
      const reported = this.reportError(error);
      this.formError =
        described.code === 'conflict' || described.code === 'invalid_state'
          ? this.s('review.notOverridable')
          : reported.message;
    } finally {
      this.busy = false;
    }
  }

  #decisionClass(decision: string): string {
    return decision === 'approved' || decision === 'approve' ? 'good' : decision === 'declined' ? 'bad' : '';
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section
      part="base"
      aria-labelledby="title"
      aria-busy=${state.status === 'loading' ? 'true' : 'false'}
    >
      <h2 id="title" part="heading">
        ${this.s('review.title')}${state.status === 'ready' ? html` · ${state.application.id}` : nothing}
      </h2>
      ${
        state.status === 'loading'
          ? html`<p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<p part="error" role="alert">${state.message}</p>
                ${state.requestId ? html`<p class="muted">${this.t('error.reference', { requestId: state.requestId })}</p>` : nothing}
                <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.retry')}</button>`
            : this.#renderApplication(state.application)
      }
      <p part="status" class="visually-hidden" role="status" aria-live="polite">${this.#outcomeText()}</p>
    </section>`;
  }

  #outcomeText(): string {
    const outcome = this.outcome;
    if (!outcome) return '';
    return outcome.kind === 'pending'
      ? this.s('review.pending', { id: outcome.approval.id })
      : this.s('review.applied', { status: this.s(`status.${outcome.application.status}`) });
  }

  #renderApplication(a: LoanApplication) {
    const overridable = a.status === 'referred' || a.status === 'declined' || a.status === 'approved';
    return html`
      <p>
        ${this.s('review.automated')}
        <strong part="decision" class="badge ${this.#decisionClass(a.decision)}">${this.s(`status.${a.decision}`)}</strong>
        · ${this.s('review.status')}: <strong>${this.s(`status.${a.status}`)}</strong>
      </p>
      <dl part="facts" class="facts">
        <dt>${this.s('review.customer')}</dt>
        <dd>
          <button class="link" type="button" @click=${() => this.emit('wk-select', { kind: 'customer', id: a.customerId })}>
            ${a.customerId}
          </button>
        </dd>
        <dt>${this.s('review.amount')}</dt>
        <dd>${this.money(a.amount)} · ${this.s('review.months', { months: a.termMonths })}</dd>
        ${a.purpose ? html`<dt>${this.s('review.purpose')}</dt><dd>${a.purpose}</dd>` : nothing}
        <dt>${this.s('review.score')}</dt>
        <dd>${a.score} / 1000 · ${this.s('review.grade')} ${a.grade}</dd>
        <dt>${this.s('review.pd')}</dt>
        <dd>${this.percent(a.pd)}</dd>
        <dt>${this.s('review.limit')}</dt>
        <dd>${this.money(a.limit)}</dd>
        <dt>${this.s('review.model')}</dt>
        <dd>${a.modelVersion} · ${this.s('review.policy')} ${a.policyVersion}</dd>
        <dt>${this.s('review.createdAt')}</dt>
        <dd>${this.dateTime(a.createdAt)}</dd>
        ${a.loanId ? html`<dt>${this.s('review.loan')}</dt><dd>${a.loanId}</dd>` : nothing}
      </dl>
      <h3>${this.s('review.reasons')}</h3>
      ${
        a.reasons.length === 0
          ? html`<p class="muted">${this.s('review.noReasons')}</p>`
          : html`<ol part="reasons">
              ${a.reasons.map((r) => html`<li>${r.text} <span class="muted">(${r.code})</span></li>`)}
            </ol>`
      }
      ${
        a.override
          ? html`<h3>${this.s('review.override')}</h3>
              <p>
                <strong class=${this.#decisionClass(a.override.decision)}>${this.s(`override.${a.override.decision}`)}</strong>
                · ${this.s('review.by', { by: a.override.by })}${a.override.approvedBy ? html` · ${this.s('review.approvedBy', { by: a.override.approvedBy })}` : nothing}
                · ${this.dateTime(a.override.at)}
              </p>
              <blockquote>${a.override.reason}</blockquote>`
          : nothing
      }
      ${this.outcome?.kind === 'pending' ? html`<p class="good">${this.#outcomeText()}</p>` : nothing}
      ${
        overridable && !a.override && this.outcome?.kind !== 'pending'
          ? html`<form part="override-form" novalidate @submit=${(e: Event) => this.#submit(e)}>
              <h3>${this.s('review.overrideTitle')}</h3>
              <div class="field">
                <label for="decision">${this.s('review.decision')}</label>
                <select
                  id="decision"
                  part="decision-select"
                  .value=${this.choice}
                  @change=${(e: Event) => {
                    this.choice = (e.target as HTMLSelectElement).value === 'decline' ? 'decline' : 'approve';
                  }}
                >
                  ${(['approve', 'decline'] as const).map(
                    (choice) =>
                      html`<option value=${choice} ?selected=${this.choice === choice}>${this.s(`override.${choice}`)}</option>`,
                  )}
                </select>
              </div>
              <div class="field">
                <label for="reason">${this.s('review.reason')}</label>
                <textarea
                  id="reason"
                  part="reason-input"
                  required
                  maxlength=${REASON_MAX}
                  aria-invalid=${this.reasonError ? 'true' : 'false'}
                  aria-describedby="reason-error"
                  .value=${this.reason}
                  @input=${(e: Event) => {
                    this.reason = (e.target as HTMLTextAreaElement).value;
                  }}
                ></textarea>
                <p id="reason-error" class="field-error">${this.reasonError}</p>
              </div>
              ${this.formError ? html`<p part="error" role="alert">${this.formError}</p>` : nothing}
              <button part="override-button" type="submit" ?disabled=${this.busy}>
                ${this.busy ? this.s('review.submitting') : this.s(this.choice === 'approve' ? 'review.submitApprove' : 'review.submitDecline')}
              </button>
            </form>`
          : nothing
      }
    `;
  }
}
