import type { Customer360 } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations } from 'lit';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; view: Customer360 };

/** A feature value as text (numbers with the locale's digits, anything else as JSON). */
function featureText(value: unknown, format: (n: number) => string): string {
  if (typeof value === 'number') return format(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The Customer 360 for bankers: profile and KYC tier with its history and limits, accounts and
 * balances, loans with status and days past due, every credit decision with score, PD, model
 * version, reasons and the features the model saw, overrides and recent activity — one audited
 * read. Applications and loans are links (`wk-select`) the host can open in
 * `<wk-application-review>`.
 *
 * @fires wk-ready - The customer is shown.
 * @fires wk-select - An application was chosen (detail: `{ kind: 'application', id }`).
 * @fires wk-error - Loading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The customer's name.
 * @csspart profile - The profile facts.
 * @csspart kyc - KYC tier, limits and history.
 * @csspart accounts - The accounts table.
 * @csspart loans - The loans table.
 * @csspart applications - The applications table.
 * @csspart decisions - The credit decisions table.
 * @csspart overrides - The overrides list.
 * @csspart activity - The recent activity list.
 * @csspart status - The polite live region.
 * @csspart error - The error message (role=alert).
 *
 * @cssprop --wk-color-text-muted - Labels.
 */
export class WkCustomer360 extends StaffElement {
  static override properties: PropertyDeclarations = {
    customerId: { type: String, attribute: 'customer-id', reflect: true },
    state: { state: true },
  };

  /** The customer to show (`cus_…`). */
  declare customerId: string | undefined;
  declare private state: State;

  constructor() {
    super();
    this.state = { status: 'loading' };
  }

  protected override loadKey(): unknown[] {
    return [this.customerId];
  }

  protected override async load(): Promise<void> {
    const staff = this.staffResources;
    const id = this.customerId;
    if (!staff || !id) {
      this.state = {
        status: 'error',
        message: !staff ? this.reportError(undefined, 'no_client').message : this.s('c360.none'),
      };
      return;
    }
    const current = this.begin();
    if (this.state.status !== 'ready' || this.state.view.customer.id !== id)
      this.state = { status: 'loading' };
    try {
      const view = await staff.customers.retrieve(id);
      if (!current()) return;
      this.state = { status: 'ready', view };
      this.markReady();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
      ${
        state.status === 'loading'
          ? html`<h2 id="title" part="heading">${this.s('c360.title')}</h2>
              <p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<h2 id="title" part="heading">${this.s('c360.title')}</h2>
                <p part="error" role="alert">${state.message}</p>
                ${state.requestId ? html`<p class="muted">${this.t('error.reference', { requestId: state.requestId })}</p>` : nothing}`
            : this.#renderView(state.view)
      }
      <p part="status" class="visually-hidden" role="status" aria-live="polite">
        ${state.status === 'ready' ? this.s('c360.loaded', { name: state.view.customer.fullName }) : ''}
      </p>
    </section>`;
  }

  #select(kind: 'application' | 'loan', id: string) {
    this.emit('wk-select', { kind, id });
  }

  #renderView(v: Customer360) {
    const c = v.customer;
    return html`
      <h2 id="title" part="heading">${c.fullName} <span class="muted">· ${c.id}</span></h2>
      <div class="grid">
        <div>
          <h3>${this.s('c360.profile')}</h3>
          <dl part="profile" class="facts">
            <dt>${this.s('c360.phone')}</dt><dd>${c.phone ?? '—'}</dd>
            <dt>${this.s('c360.email')}</dt><dd>${c.email}</dd>
            <dt>${this.s('c360.nationalId')}</dt><dd>${c.nationalId ?? '—'}</dd>
            <dt>${this.s('c360.status')}</dt><dd>${c.status}</dd>
            <dt>${this.s('c360.since')}</dt><dd>${this.date(c.createdAt)}</dd>
            <dt>${this.s('c360.asOf')}</dt><dd>${v.asOf}</dd>
          </dl>
        </div>
        <div part="kyc">
          <h3>${this.s('c360.kyc')}</h3>
          <p><strong class="badge">${this.s('customer.tier', { tier: v.kyc.tier })}</strong></p>
          ${v.kyc.limits.map(
            (l) => html`<dl class="facts">
              <dt>${this.s('c360.maxBalance')}</dt><dd>${this.money(l.maxBalance)}</dd>
              <dt>${this.s('c360.dailyOut')}</dt><dd>${this.money(l.dailyOutgoing)}</dd>
              <dt>${this.s('c360.loanCap')}</dt><dd>${this.money(l.loanCap)}</dd>
            </dl>`,
          )}
          ${
            v.kyc.history.length === 0
              ? html`<p class="muted">${this.s('c360.noKycHistory')}</p>`
              : html`<ul>
                  ${v.kyc.history.map(
                    (h) => html`<li>
                      ${this.s('c360.tierChange', { from: h.fromTier, to: h.toTier, by: h.changedBy })} ·
                      ${this.date(h.at)} — ${h.evidence}
                    </li>`,
                  )}
                </ul>`
          }
        </div>
      </div>

      <h3 id="accounts-title">${this.s('c360.accounts')}</h3>
      ${
        v.accounts.length === 0
          ? html`<p class="muted">${this.s('c360.noAccounts')}</p>`
          : html`<div class="scroll"><table part="accounts" aria-labelledby="accounts-title">
              <thead><tr>
                <th scope="col">${this.s('c360.account')}</th>
                <th scope="col">${this.s('c360.status')}</th>
                <th scope="col" class="num">${this.s('c360.available')}</th>
                <th scope="col" class="num">${this.s('c360.ledger')}</th>
              </tr></thead>
              <tbody>
                ${v.accounts.map(
                  (a) => html`<tr>
                    <th scope="row">${this.t(`account.${a.type}`)} <span class="muted">${a.id}</span></th>
                    <td>${a.status}</td>
                    <td class="num">${this.money(a.balance.available)}</td>
                    <td class="num">${this.money(a.balance.ledger)}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`
      }

      <h3 id="loans-title">${this.s('c360.loans')}</h3>
      ${
        v.loans.length === 0
          ? html`<p class="muted">${this.s('c360.noLoans')}</p>`
          : html`<div class="scroll"><table part="loans" aria-labelledby="loans-title">
              <thead><tr>
                <th scope="col">${this.s('c360.loan')}</th>
                <th scope="col">${this.s('c360.status')}</th>
                <th scope="col" class="num">${this.s('c360.outstanding')}</th>
                <th scope="col" class="num">${this.s('c360.dpd')}</th>
                <th scope="col">${this.s('c360.class')}</th>
              </tr></thead>
              <tbody>
                ${v.loans.map(
                  (l) => html`<tr>
                    <th scope="row">${l.label} <span class="muted">${l.loanNumber} · ${l.id}</span></th>
                    <td>${this.s(`loan.${l.status}`)}</td>
                    <td class="num">${this.money(l.outstandingTotal)}</td>
                    <td class="num">${l.daysPastDue}</td>
                    <td>${this.s(`class.${l.cbkClass}`)}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`
      }

      <h3 id="applications-title">${this.s('c360.applications')}</h3>
      ${
        v.applications.length === 0
          ? html`<p class="muted">${this.s('c360.noApplications')}</p>`
          : html`<div class="scroll"><table part="applications" aria-labelledby="applications-title">
              <thead><tr>
                <th scope="col">${this.s('c360.application')}</th>
                <th scope="col">${this.s('c360.date')}</th>
                <th scope="col" class="num">${this.s('review.amount')}</th>
                <th scope="col">${this.s('review.automated')}</th>
                <th scope="col">${this.s('review.status')}</th>
              </tr></thead>
              <tbody>
                ${v.applications.map(
                  (a) => html`<tr>
                    <th scope="row">
                      <button class="link" type="button" @click=${() => this.#select('application', a.id)}>
                        ${this.s('c360.review', { id: a.id })}
                      </button>
                    </th>
                    <td>${this.date(a.createdAt)}</td>
                    <td class="num">${this.money(a.amount)} · ${this.s('review.months', { months: a.termMonths })}</td>
                    <td>${this.s(`status.${a.decision}`)}</td>
                    <td>${this.#status(a.status)}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`
      }

      <h3 id="decisions-title">${this.s('c360.decisions')}</h3>
      ${
        v.creditDecisions.length === 0
          ? html`<p class="muted">${this.s('c360.noDecisions')}</p>`
          : html`<div class="scroll"><table part="decisions" aria-labelledby="decisions-title">
              <thead><tr>
                <th scope="col">${this.s('c360.date')}</th>
                <th scope="col">${this.s('review.automated')}</th>
                <th scope="col" class="num">${this.s('review.score')}</th>
                <th scope="col" class="num">${this.s('review.pd')}</th>
                <th scope="col">${this.s('review.model')}</th>
                <th scope="col">${this.s('review.reasons')}</th>
              </tr></thead>
              <tbody>
                ${v.creditDecisions.map(
                  (d) => html`<tr>
                    <th scope="row">${d.bankDate} <span class="muted">${this.s(`decision.${d.kind}`)}</span></th>
                    <td>${this.s(`status.${d.decision}`)}</td>
                    <td class="num">${d.score} · ${d.grade}</td>
                    <td class="num">${this.percent(d.pd)}</td>
                    <td>${d.modelVersion}<br /><span class="muted">${d.policyVersion}</span></td>
                    <td>
                      <ul class="plain">${d.reasons.map((r) => html`<li>${r.text}</li>`)}</ul>
                      ${
                        Object.keys(d.features).length > 0
                          ? html`<details>
                              <summary>${this.s('c360.features')}</summary>
                              <dl class="facts">
                                ${Object.entries(d.features).map(
                                  ([k, value]) =>
                                    html`<dt>${k}</dt><dd>${featureText(value, (n) => this.number(n, Number.isInteger(n) ? 0 : 2))}</dd>`,
                                )}
                              </dl>
                            </details>`
                          : nothing
                      }
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`
      }

      <h3>${this.s('c360.overrides')}</h3>
      ${
        v.overrides.length === 0
          ? html`<p class="muted">${this.s('c360.noOverrides')}</p>`
          : html`<ul part="overrides">
              ${v.overrides.map(
                (o) => html`<li>
                  <strong>${this.s(`override.${o.decision}`)}</strong> · ${o.applicationId} ·
                  ${this.s('review.by', { by: o.by })}${o.approvedBy ? ` · ${this.s('review.approvedBy', { by: o.approvedBy })}` : ''}
                  · ${this.dateTime(o.at)} — ${o.reason}
                </li>`,
              )}
            </ul>`
      }

      <h3>${this.s('c360.activity')}</h3>
      ${
        v.recentActivity.length === 0
          ? html`<p class="muted">${this.s('c360.noActivity')}</p>`
          : html`<ul part="activity">
              ${v.recentActivity.map((e) => html`<li>${this.dateTime(e.createdAt)} · <code>${e.type}</code></li>`)}
            </ul>`
      }
    `;
  }

  #status(status: string): string {
    const known = ['approved', 'declined', 'referred', 'pending_approval', 'accepted'];
    return known.includes(status) ? this.s(`status.${status as 'approved'}`) : status;
  }
}
