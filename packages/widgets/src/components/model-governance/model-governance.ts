import type { RiskModel, RiskModelComparison } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { type ChartSpec, defineChart, WkChart } from '../../charts/chart.ts';
import { describeError, isDefinitiveFailure } from '../../core/errors.ts';
import { newIdempotencyKey } from '../../core/idempotency.ts';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; models: RiskModel[]; comparison: RiskModelComparison | undefined };

/**
 * Model governance for Risk Ops: the champion's AUC, KS and PSI on the bank's own matured loans and
 * recent applicants, its calibration by score band (predicted vs observed bad rate, as a chart with
 * its table), the champion beside the challengers on the same loans, and activating a challenger
 * as champion with a mandatory reason (audited, the governance numbers of that moment stored; when
 * the bank asks for a second administrator, it waits in the approval queue).
 *
 * @fires wk-ready - The models are shown.
 * @fires wk-success - A challenger was activated or sent for approval (detail: `{ kind: 'approval', resource }` when it waits).
 * @fires wk-error - Loading or activation failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart metrics - The champion's AUC, KS, PSI.
 * @csspart chart - The calibration chart (`<wk-chart>`).
 * @csspart models - The champion vs challengers table.
 * @csspart activate-button - Starts activating a challenger.
 * @csspart reason-input - The activation reason.
 * @csspart confirm-button - Confirms the activation.
 * @csspart status - The polite live region.
 * @csspart error - An error message (role=alert).
 */
export class WkModelGovernance extends StaffElement {
  static override properties: PropertyDeclarations = {
    state: { state: true },
    activating: { state: true },
    reason: { state: true },
    formError: { state: true },
    busy: { state: true },
    announcement: { state: true },
  };

  declare private state: State;
  declare private activating: string | undefined;
  declare private reason: string;
  declare private formError: string;
  declare private busy: boolean;
  declare private announcement: string;
  #intent: { signature: string; key: string } | undefined;

  constructor() {
    super();
    this.state = { status: 'loading' };
    this.activating = undefined;
    this.reason = '';
    this.formError = '';
    this.busy = false;
    this.announcement = '';
    defineChart();
    void WkChart;
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
      const [models, comparison] = await Promise.all([
        staff.risk.models.list(),
        staff.risk.models.compare().catch(() => undefined),
      ]);
      if (!current()) return;
      this.state = { status: 'ready', models: models.data, comparison };
      this.markReady();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  async #activate(event: Event): Promise<void> {
    event.preventDefault();
    const version = this.activating;
    const staff = this.staffResources;
    if (!version || !staff || this.busy) return;
    const reason = this.reason.trim();
    if (reason.length < 3) {
      this.formError = this.s('queue.reasonRequired');
      this.renderRoot.querySelector<HTMLTextAreaElement>('#activate-reason')?.focus();
      return;
    }
    const signature = JSON.stringify([version, reason]);
    if (this.#intent?.signature !== signature) this.#intent = { signature, key: newIdempotencyKey() };
    this.busy = true;
    this.formError = '';
    try {
      const result = await staff.risk.models.activate(
        version,
        { reason },
        { idempotencyKey: this.#intent.key },
      );
      this.#intent = undefined;
      this.activating = undefined;
      this.reason = '';
      if ('approval' in result) {
        this.announcement = this.s('gov.pending', { version, id: result.approval.id });
        this.emit('wk-success', { kind: 'approval', resource: result.approval });
      } else {
        this.announcement = this.s('gov.activated', { version });
        await this.load();
      }
    } catch (error) {
      if (isDefinitiveFailure(error)) this.#intent = undefined;
      const described = describeError(error);
      this.formError =
        described.code === 'forbidden' ? this.s('gov.forbidden') : this.reportError(error).message;
    } finally {
      this.busy = false;
    }
  }

  #ratio(value: string | null): string {
    return value === null ? '—' : this.number(Number(value), 3);
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
      <h2 id="title" part="heading">${this.s('gov.title')}</h2>
      ${
        state.status === 'loading'
          ? html`<p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<p part="error" role="alert">${state.message}</p>
                <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.retry')}</button>`
            : this.#renderReady(state.models, state.comparison)
      }
      <p part="status" role="status" aria-live="polite" class=${this.announcement ? 'good' : 'visually-hidden'}>${this.announcement}</p>
    </section>`;
  }

  #renderReady(models: RiskModel[], comparison: RiskModelComparison | undefined) {
    const champion = models.find((m) => m.role === 'champion');
    const g = champion?.governance;
    const labels = { show: this.s('chart.show'), hide: this.s('chart.hide') };
    const calibration: ChartSpec | undefined =
      g && g.calibration.length > 0
        ? {
            kind: 'line',
            title: this.s('gov.calibration'),
            categoryLabel: this.s('portfolio.band'),
            categories: g.calibration.map((b) => b.band),
            series: [
              {
                label: this.s('gov.expected'),
                values: g.calibration.map((b) => Number(b.expectedBadRate) * 100),
              },
              {
                label: this.s('gov.observed'),
                values: g.calibration.map((b) => Number(b.observedBadRate) * 100),
              },
            ],
            format: (v) => this.percent(v / 100, 1),
          }
        : undefined;
    const compared = new Map(comparison?.models.map((m) => [m.version, m]) ?? []);
    return html`
      ${
        champion && g
          ? html`<p>${this.s('gov.champion')}: <strong>${champion.version}</strong> · ${this.s('gov.asOf', { date: g.asOf })}</p>
              <dl part="metrics" class="facts">
                <dt>AUC</dt><dd>${this.#ratio(g.auc)}</dd>
                <dt>KS</dt><dd>${this.#ratio(g.ks)}</dd>
                <dt>PSI</dt><dd>${this.#ratio(g.psi)}${g.psiStatus ? html` <span class="badge">${this.s(`psi.${g.psiStatus}`)}</span>` : nothing}</dd>
                <dt>${this.s('gov.matured')}</dt><dd>${this.s('gov.maturedValue', { loans: g.maturedLoans, bads: g.badLoans })}</dd>
                <dt>${this.s('gov.applicants')}</dt><dd>${g.recentApplicants}</dd>
              </dl>
              ${g.auc === null ? html`<p class="muted">${this.s('gov.notEnough')}</p>` : nothing}
              ${calibration ? html`<wk-chart part="chart" .spec=${calibration} .toggleLabels=${labels}></wk-chart>` : nothing}`
          : html`<p class="muted">${this.s('gov.noChampion')}</p>`
      }
      <h3 id="models-title">${this.s('gov.models')}</h3>
      <div class="scroll"><table part="models" aria-labelledby="models-title">
        <thead><tr>
          <th scope="col">${this.s('gov.version')}</th>
          <th scope="col">${this.s('gov.role')}</th>
          <th scope="col" class="num">AUC</th>
          <th scope="col" class="num">KS</th>
          <th scope="col" class="num">PSI</th>
          <th scope="col" class="num">${this.s('gov.approvalRate')}</th>
          <th scope="col"><span class="visually-hidden">${this.s('gov.actions')}</span></th>
        </tr></thead>
        <tbody>
          ${models.map((m) => {
            const c = compared.get(m.version);
            return html`<tr>
              <th scope="row">${m.version}${m.description ? html`<br /><span class="muted">${m.description}</span>` : nothing}</th>
              <td>${this.s(`role.${m.role}`)}</td>
              <td class="num">${this.#ratio(m.governance.auc)}</td>
              <td class="num">${this.#ratio(m.governance.ks)}</td>
              <td class="num">${this.#ratio(m.governance.psi)}</td>
              <td class="num">${c ? this.percent(c.approvalRate, 1) : '—'}</td>
              <td>
                ${
                  m.role === 'challenger'
                    ? html`<button
                        part="activate-button"
                        class="secondary"
                        type="button"
                        @click=${() => {
                          this.activating = m.version;
                          this.formError = '';
                          void this.updateComplete.then(() =>
                            this.renderRoot.querySelector<HTMLTextAreaElement>('#activate-reason')?.focus(),
                          );
                        }}
                      >${this.s('gov.activate')}<span class="visually-hidden"> ${m.version}</span></button>`
                    : nothing
                }
              </td>
            </tr>`;
          })}
        </tbody>
      </table></div>
      ${comparison?.agreement ? html`<p class="muted">${this.s('gov.agreement', { share: this.percent(comparison.agreement, 1), n: comparison.applicants })}</p>` : nothing}
      ${
        this.activating
          ? html`<form novalidate @submit=${(e: Event) => this.#activate(e)}>
              <h3>${this.s('gov.activateTitle', { version: this.activating })}</h3>
              <div class="field">
                <label for="activate-reason">${this.s('review.reason')}</label>
                <textarea
                  id="activate-reason"
                  part="reason-input"
                  aria-invalid=${this.formError ? 'true' : 'false'}
                  aria-describedby="activate-error"
                  .value=${this.reason}
                  @input=${(e: Event) => {
                    this.reason = (e.target as HTMLTextAreaElement).value;
                  }}
                ></textarea>
                <p id="activate-error" class="field-error" role=${this.formError ? 'alert' : nothing}>${this.formError}</p>
              </div>
              <div class="actions">
                <button part="confirm-button" type="submit" ?disabled=${this.busy}>${this.s('gov.confirm', { version: this.activating })}</button>
                <button class="secondary" type="button" @click=${() => {
                  this.activating = undefined;
                }}>${this.s('audit.close')}</button>
              </div>
            </form>`
          : nothing
      }
    `;
  }
}
