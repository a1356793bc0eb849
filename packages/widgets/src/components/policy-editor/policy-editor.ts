import type { RiskPolicy, RiskPolicyDryRun, RiskPolicyRules } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; policy: RiskPolicy };

type Field = 'approve' | 'refer' | 'tenure' | 'share' | 'lastN' | 'reason';

interface Draft {
  approve: string;
  refer: string;
  tenure: string;
  share: string;
  negative: boolean;
  thinFile: 'refer' | 'allow';
  lastN: string;
  reason: string;
}

const WHOLE = /^(0|[1-9][0-9]{0,4})$/;
const SHARE = /^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$/;

/**
 * The credit policy as data, for Risk Ops: cut-offs (approve and refer scores), hard rules (decline
 * on a negative bureau listing, thin files, minimum tenure) and the affordability share; the rest
 * of the policy is kept as it is. A dry run decides the last N applications again under the draft
 * ("this change would have approved X more, at expected bad rate Y") before anything is saved;
 * saving needs a reason (audited) and, when the bank asks for it, a second administrator.
 *
 * @fires wk-ready - The policy is shown.
 * @fires wk-success - The change waits for a second administrator (detail: `{ kind: 'approval', resource }`).
 * @fires wk-error - Loading, the dry run or saving failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart form - The editor form.
 * @csspart approve-input - The approve cut-off.
 * @csspart refer-input - The refer cut-off.
 * @csspart dry-run-button - Runs the dry run.
 * @csspart dry-run - The dry run's outcome.
 * @csspart reason-input - The reason for the change.
 * @csspart save-button - Saves the change.
 * @csspart status - The polite live region.
 * @csspart error - An error message (role=alert).
 */
export class WkPolicyEditor extends StaffElement {
  static override properties: PropertyDeclarations = {
    state: { state: true },
    draft: { state: true },
    errors: { state: true },
    formError: { state: true },
    dryRun: { state: true },
    busy: { state: true },
    announcement: { state: true },
    saved: { state: true },
  };

  declare private state: State;
  declare private draft: Draft;
  declare private errors: Partial<Record<Field, string>>;
  declare private formError: string;
  declare private dryRun: RiskPolicyDryRun | undefined;
  declare private busy: 'dry-run' | 'save' | undefined;
  declare private announcement: string;
  /** The announcement is a save's outcome (shown), not the dry run's (already on screen). */
  declare private saved: boolean;
  #intent: { signature: string; key: string } | undefined;

  constructor() {
    super();
    this.state = { status: 'loading' };
    this.draft = {
      approve: '',
      refer: '',
      tenure: '',
      share: '',
      negative: true,
      thinFile: 'refer',
      lastN: '500',
      reason: '',
    };
    this.errors = {};
    this.formError = '';
    this.dryRun = undefined;
    this.busy = undefined;
    this.announcement = '';
    this.saved = false;
  }

  protected override async load(): Promise<void> {
    const staff = this.staffResources;
    if (!staff) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    const current = this.begin();
    if (this.state.status !== 'ready') this.state = { status: 'loading' };
    try {
      const policy = await staff.risk.policy.retrieve();
      if (!current()) return;
      const r = policy.rules;
      this.draft = {
        ...this.draft,
        approve: String(r.cutoffs.approveMinScore),
        refer: String(r.cutoffs.referMinScore),
        tenure: String(r.minimumTenureMonths),
        share: r.limits.affordability.maxInstalmentShare,
        negative: r.bureau.declineOnNegativeListing,
        thinFile: r.bureau.onThinFile,
      };
      this.state = { status: 'ready', policy };
      this.markReady();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  /** The draft as rules, or undefined with field errors set. */
  #rules(policy: RiskPolicy): RiskPolicyRules | undefined {
    const d = this.draft;
    const errors: Partial<Record<Field, string>> = {};
    const score = (text: string) =>
      WHOLE.test(text.trim()) && Number(text) <= 1000 ? Number(text) : undefined;
    const approve = score(d.approve);
    const refer = score(d.refer);
    if (approve === undefined) errors.approve = this.s('policy.scoreInvalid');
    if (refer === undefined) errors.refer = this.s('policy.scoreInvalid');
    else if (approve !== undefined && refer > approve) errors.refer = this.s('policy.referAbove');
    const tenure = WHOLE.test(d.tenure.trim()) && Number(d.tenure) <= 120 ? Number(d.tenure) : undefined;
    if (tenure === undefined) errors.tenure = this.s('policy.tenureInvalid');
    if (!SHARE.test(d.share.trim())) errors.share = this.s('policy.shareInvalid');
    this.errors = errors;
    if (
      Object.keys(errors).length > 0 ||
      approve === undefined ||
      refer === undefined ||
      tenure === undefined
    ) {
      return undefined;
    }
    const r = policy.rules;
    return {
      ...r,
      cutoffs: { approveMinScore: approve, referMinScore: refer },
      bureau: { ...r.bureau, declineOnNegativeListing: d.negative, onThinFile: d.thinFile },
      minimumTenureMonths: tenure,
      limits: {
        ...r.limits,
        affordability: { ...r.limits.affordability, maxInstalmentShare: d.share.trim() },
      },
    };
  }

  #focusFirstError(): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );
  }

  /** Decides the last N applications again under the draft; saves nothing. */
  async runDryRun(): Promise<void> {
    if (this.state.status !== 'ready' || this.busy) return;
    const rules = this.#rules(this.state.policy);
    const lastN = Number(this.draft.lastN);
    if (!Number.isInteger(lastN) || lastN < 1 || lastN > 5000) {
      this.errors = { ...this.errors, lastN: this.s('policy.lastNInvalid') };
    }
    if (!rules || this.errors.lastN) return this.#focusFirstError();
    const staff = this.staffResources;
    if (!staff) return;
    this.busy = 'dry-run';
    this.formError = '';
    try {
      this.dryRun = await staff.risk.policy.dryRun({ rules, lastN });
      this.announcement = this.dryRun.summary;
      this.saved = false;
    } catch (error) {
      this.formError = this.reportError(error).message;
    } finally {
      this.busy = undefined;
    }
  }

  async #save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.state.status !== 'ready' || this.busy) return;
    const rules = this.#rules(this.state.policy);
    const reason = this.draft.reason.trim();
    if (reason.length < 3) this.errors = { ...this.errors, reason: this.s('queue.reasonRequired') };
    if (!rules || this.errors.reason) return this.#focusFirstError();
    const staff = this.staffResources;
    if (!staff) return;
    const signature = JSON.stringify([rules, reason]);
    if (this.#intent?.signature !== signature) this.#intent = { signature, key: newIdempotencyKey() };
    this.busy = 'save';
    this.formError = '';
    try {
      const result = await staff.risk.policy.update({ rules, reason }, { idempotencyKey: this.#intent.key });
      this.#intent = undefined;
      this.draft = { ...this.draft, reason: '' };
      this.saved = true;
      if ('approval' in result) {
        this.announcement = this.s('policy.pending', { id: result.approval.id });
        this.emit('wk-success', { kind: 'approval', resource: result.approval });
      } else {
        this.announcement = this.s('policy.saved', { version: result.policy.policyVersion });
        this.state = { status: 'ready', policy: result.policy };
      }
    } catch (error) {
      if (isDefinitiveFailure(error)) this.#intent = undefined;
      const described = describeError(error);
      this.formError =
        described.code === 'forbidden' ? this.s('gov.forbidden') : this.reportError(error).message;
    } finally {
      this.busy = undefined;
    }
  }

  #input(field: Exclude<Field, 'reason'>, label: string, hint?: string) {
    const error = this.errors[field];
    return html`<div class="field">
      <label for=${field}>${label}</label>
      <input
        id=${field}
        part="${field}-input"
        inputmode="decimal"
        autocomplete="off"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="${field}-error ${hint ? `${field}-hint` : ''}"
        .value=${this.draft[field]}
        @input=${(e: Event) => {
          this.draft = { ...this.draft, [field]: (e.target as HTMLInputElement).value };
          this.dryRun = undefined;
        }}
      />
      ${hint ? html`<p id="${field}-hint" class="muted">${hint}</p>` : nothing}
      <p id="${field}-error" class="field-error">${error ?? ''}</p>
    </div>`;
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
      <h2 id="title" part="heading">${this.s('policy.title')}</h2>
      ${
        state.status === 'loading'
          ? html`<p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<p part="error" role="alert">${state.message}</p>
                <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.retry')}</button>`
            : this.#renderForm(state.policy)
      }
      <p part="status" role="status" aria-live="polite" class=${this.announcement && this.saved ? '' : 'visually-hidden'}>${this.announcement}</p>
    </section>`;
  }

  #renderForm(policy: RiskPolicy) {
    const run = this.dryRun;
    return html`
      <p class="muted">${this.s('policy.current', { version: policy.policyVersion, by: policy.createdBy ?? '—' })}</p>
      <form part="form" novalidate @submit=${(e: Event) => this.#save(e)}>
        <div class="grid">
          ${this.#input('approve', this.s('policy.approve'), this.s('policy.approveHint'))}
          ${this.#input('refer', this.s('policy.refer'), this.s('policy.referHint'))}
          ${this.#input('tenure', this.s('policy.tenure'))}
          ${this.#input('share', this.s('policy.share'), this.s('policy.shareHint'))}
        </div>
        <fieldset>
          <legend>${this.s('policy.rules')}</legend>
          <label class="choice">
            <input
              type="checkbox"
              .checked=${this.draft.negative}
              @change=${(e: Event) => {
                this.draft = { ...this.draft, negative: (e.target as HTMLInputElement).checked };
                this.dryRun = undefined;
              }}
            />
            ${this.s('policy.negative')}
          </label>
          <label class="choice">
            <input
              type="checkbox"
              .checked=${this.draft.thinFile === 'refer'}
              @change=${(e: Event) => {
                this.draft = {
                  ...this.draft,
                  thinFile: (e.target as HTMLInputElement).checked ? 'refer' : 'allow',
                };
                this.dryRun = undefined;
              }}
            />
            ${this.s('policy.thinFile')}
          </label>
        </fieldset>
        <h3>${this.s('policy.dryRunTitle')}</h3>
        ${this.#input('lastN', this.s('policy.lastN'))}
        <button part="dry-run-button" class="secondary" type="button" ?disabled=${this.busy !== undefined} @click=${() => this.runDryRun()}>
          ${this.busy === 'dry-run' ? this.s('policy.running') : this.s('policy.dryRun')}
        </button>
        ${
          run
            ? html`<div part="dry-run">
                <p><strong>${run.summary}</strong></p>
                <div class="scroll"><table>
                  <caption class="visually-hidden">${this.s('policy.dryRunTitle')}</caption>
                  <thead><tr>
                    <th scope="col"><span class="visually-hidden">${this.s('policy.policy')}</span></th>
                    <th scope="col" class="num">${this.s('status.approved')}</th>
                    <th scope="col" class="num">${this.s('status.referred')}</th>
                    <th scope="col" class="num">${this.s('status.declined')}</th>
                    <th scope="col" class="num">${this.s('policy.approvalRate')}</th>
                    <th scope="col" class="num">${this.s('policy.badRate')}</th>
                  </tr></thead>
                  <tbody>
                    ${(['current', 'proposed'] as const).map((k) => {
                      const o = run[k];
                      return html`<tr>
                        <th scope="row">${this.s(`policy.${k}Policy`)}</th>
                        <td class="num">${o.approved}</td>
                        <td class="num">${o.referred}</td>
                        <td class="num">${o.declined}</td>
                        <td class="num">${this.percent(o.approvalRate, 1)}</td>
                        <td class="num">${o.expectedBadRate === null ? '—' : this.percent(o.expectedBadRate, 2)}</td>
                      </tr>`;
                    })}
                  </tbody>
                </table></div>
                <p class="muted">${this.s('policy.changed', { n: run.applications, changed: run.changed, more: run.newlyApproved, fewer: run.newlyDeclined })}</p>
              </div>`
            : nothing
        }
        <h3>${this.s('policy.saveTitle')}</h3>
        <div class="field">
          <label for="reason">${this.s('review.reason')}</label>
          <textarea
            id="reason"
            part="reason-input"
            aria-invalid=${this.errors.reason ? 'true' : 'false'}
            aria-describedby="reason-error"
            .value=${this.draft.reason}
            @input=${(e: Event) => {
              this.draft = { ...this.draft, reason: (e.target as HTMLTextAreaElement).value };
            }}
          ></textarea>
          <p id="reason-error" class="field-error">${this.errors.reason ?? ''}</p>
        </div>
        ${this.formError ? html`<p part="error" role="alert">${this.formError}</p>` : nothing}
        <button part="save-button" type="submit" ?disabled=${this.busy !== undefined}>
          ${this.busy === 'save' ? this.s('review.submitting') : this.s('policy.save')}
        </button>
      </form>
    `;
  }
}
