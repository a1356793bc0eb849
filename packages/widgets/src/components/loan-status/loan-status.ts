import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { StackedBarsChart } from '../../charts/index.ts';
import { loanStatusKey } from '../../core/borrow.ts';
import { WekezaElement } from '../../core/element.ts';
import type { Loan } from '../../core/types.ts';
import { scheduleSeries, scheduleTable } from './schedule.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; loans: Loan[] };

/** Styles shared by the widgets that show a schedule (table, state badges, chart box). */
export const scheduleStyles = css`
  .table-wrap {
    overflow-x: auto;
  }
  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: start;
    padding-block: calc(var(--_wk-space) * 1.5);
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
  .state {
    font-weight: 600;
  }
  .state-overdue {
    color: var(--_wk-danger);
  }
  .state-paid {
    color: var(--_wk-success);
  }
  [part~='chart'] {
    min-block-size: 220px;
    margin-block: calc(var(--_wk-space) * 3);
    color: var(--_wk-text);
  }
  .legend {
    display: flex;
    gap: calc(var(--_wk-space) * 4);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .swatch {
    display: inline-block;
    inline-size: 0.9em;
    block-size: 0.9em;
    margin-inline-end: calc(var(--_wk-space) * 1);
    border-radius: 2px;
    vertical-align: -0.1em;
  }
  .swatch-principal {
    background: var(--_wk-primary);
  }
  .swatch-interest {
    background: var(--_wk-focus);
  }
`;

/**
 * Draws the principal/interest chart of `rows` into the host's `[part~="chart"]` element, loading the
 * chart chunk on first use; keeps one chart per element and answers it for `destroy()`.
 */
export async function drawScheduleChart(
  host: WekezaElement,
  container: HTMLElement | null,
  rows: Parameters<typeof scheduleSeries>[0],
  previous: StackedBarsChart | undefined,
  label: { principal: string; interest: string },
  format: (value: number) => string,
): Promise<StackedBarsChart | undefined> {
  if (container === null || rows.length === 0) {
    previous?.destroy();
    return undefined;
  }
  const series = scheduleSeries(rows);
  // The legend's swatches hold the resolved colours (tokens use light-dark(), which a canvas cannot read).
  const swatch = (name: string, fallback: string) => {
    const element = host.renderRoot.querySelector(`.swatch-${name}`);
    return element ? getComputedStyle(element).backgroundColor : fallback;
  };
  const principal = swatch('principal', '#0b6e4f');
  const interest = swatch('interest', '#2563eb');
  const data = {
    labels: series.labels,
    series: [
      { label: label.principal, values: series.principal, color: principal },
      { label: label.interest, values: series.interest, color: interest },
    ],
    formatValue: format,
  };
  previous?.destroy();
  const { drawStackedBarsLazily } = await import('../../charts/index.ts');
  return drawStackedBarsLazily(container, data);
}

/**
 * The customer's loans (`GET /v1/loans`), each with the brief's status label — WIP, Disbursed,
 * Credited, In arrears, Closed (and Written off) — the next due date and amount, what is
 * outstanding by component (principal, interest, fees, penalties), days past due, and the schedule
 * with paid / due / overdue / upcoming instalments as a table and a stacked principal/interest bar
 * chart (uPlot, loaded lazily; the table is the chart's text alternative). With `loan-id` it shows
 * that loan only. Refreshes itself after a loan or repayment inside the same provider.
 *
 * @fires wk-ready - The loans are shown.
 * @fires wk-error - Loading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart loan - One loan (an `<article>`).
 * @csspart loan-heading - A loan's title ("Loan 48213370925").
 * @csspart label - The status label badge (also `label-<status>`).
 * @csspart next-due - The next payment line.
 * @csspart outstanding - The outstanding amounts list.
 * @csspart dpd - Days past due.
 * @csspart schedule-toggle - The button that shows or hides the schedule.
 * @csspart chart - The chart container (decorative, `aria-hidden`).
 * @csspart schedule - The schedule table.
 * @csspart instalment - One schedule row (also `paid`, `due`, `overdue` or `upcoming`).
 * @csspart empty - The "no loans" message.
 * @csspart refresh-button - The refresh button.
 * @csspart status - The polite live region.
 * @csspart error - The error message (role=alert).
 * @csspart skeleton - The loading placeholder.
 *
 * @cssprop --wk-color-primary - Principal bars, buttons, the Credited badge.
 * @cssprop --wk-color-focus - Interest bars.
 * @cssprop --wk-color-danger - Overdue rows, the In arrears badge, errors.
 * @cssprop --wk-color-success - Paid rows.
 * @cssprop --wk-color-border - Row separators.
 * @cssprop --wk-color-background - Card background.
 * @cssprop --wk-font-family - Font.
 */
export class WkLoanStatus extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    scheduleStyles,
    css`
      article {
        border-block-start: 1px solid var(--_wk-border);
        padding-block: calc(var(--_wk-space) * 3);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_wk-space) * 2);
        align-items: center;
        justify-content: space-between;
      }
      h3 {
        font-size: 1.05em;
        margin: 0;
      }
      [part~='label'] {
        border-radius: 999px;
        padding-inline: calc(var(--_wk-space) * 3);
        padding-block: calc(var(--_wk-space) * 0.5);
        border: 1px solid currentColor;
        font-weight: 600;
        font-size: 0.9em;
      }
      [part~='label-active'],
      [part~='label-disbursed'] {
        color: var(--_wk-success);
      }
      [part~='label-in_arrears'],
      [part~='label-written_off'] {
        color: var(--_wk-danger);
      }
      [part~='label-closed'],
      [part~='label-pending_disbursement'] {
        color: var(--_wk-muted);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: calc(var(--_wk-space) * 1) calc(var(--_wk-space) * 4);
        margin-block: calc(var(--_wk-space) * 3);
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .total {
        font-weight: 700;
      }
      [part~='skeleton'] {
        block-size: 8em;
        border-radius: var(--_wk-radius);
        background: var(--_wk-surface);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    loanId: { type: String, attribute: 'loan-id', reflect: true },
    chart: { type: Boolean, reflect: true },
    state: { state: true },
    open: { state: true },
    announcement: { state: true },
  };

  /** Show only this loan (default: every loan of the customer, newest first). */
  declare loanId: string | undefined;
  /** Draw the schedule chart when a schedule is shown (default true; the table is always there). */
  declare chart: boolean;
  declare private state: State;
  /** Loans whose schedule is shown. */
  declare private open: ReadonlySet<string>;
  declare private announcement: string;

  #generation = 0;
  #loadedFor: unknown[] = [];
  #charts = new Map<string, import('../../charts/index.ts').StackedBarsChart>();

  constructor() {
    super();
    this.chart = true;
    this.state = { status: 'loading' };
    this.open = new Set();
    this.announcement = '';
  }

  /** Reloads the loans. */
  async refresh(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    if (this.state.status !== 'ready') this.state = { status: 'loading' };
    try {
      const loans = this.loanId
        ? [await client.loans.retrieve(this.loanId)]
        : (await client.loans.list({ limit: 20 })).data;
      if (generation !== this.#generation) return;
      const wasReady = this.state.status === 'ready';
      this.state = { status: 'ready', loans };
      if (this.loanId && this.open.size === 0) this.open = new Set([this.loanId]);
      if (wasReady) this.announcement = this.t('loan.updated');
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
    const key = [this.activeClient, this.loanId, this.environment?.revision];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.refresh();
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.state.status !== 'ready') return;
    for (const loan of this.state.loans) {
      const container = this.chart
        ? (this.renderRoot.querySelector(`[data-chart="${loan.id}"]`) as HTMLElement | null)
        : null;
      const previous = this.#charts.get(loan.id);
      if (container === null) {
        previous?.destroy();
        this.#charts.delete(loan.id);
        continue;
      }
      // One drawing per container and data (the marker is set before the chart chunk has loaded).
      if (container.dataset.drawn === this.#signature(loan)) continue;
      const signature = this.#signature(loan);
      container.dataset.drawn = signature;
      void drawScheduleChart(
        this,
        container,
        loan.schedule,
        previous,
        { principal: this.t('apply.principal'), interest: this.t('apply.interest') },
        (value) => new Intl.NumberFormat(this.intlLocale, { notation: 'compact' }).format(value),
      ).then((chart) => {
        // Drawn into a container that has since been replaced or redrawn: drop it.
        if (!chart) return;
        if (container.isConnected && container.dataset.drawn === signature) this.#charts.set(loan.id, chart);
        else chart.destroy();
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const chart of this.#charts.values()) chart.destroy();
    this.#charts.clear();
  }

  #signature(loan: Loan): string {
    return `${loan.id}|${loan.schedule.length}|${this.activeLocale}`;
  }

  #toggle(id: string): void {
    const open = new Set(this.open);
    if (open.has(id)) open.delete(id);
    else open.add(id);
    this.open = open;
  }

  #renderLoan(loan: Loan) {
    const next = loan.schedule.find((row) => row.state === 'overdue' || row.state === 'due');
    const open = this.open.has(loan.id);
    const o = loan.outstanding;
    const ended = loan.status === 'closed' || loan.status === 'written_off';
    const headingId = `loan-${loan.id}`;
    return html`<article part="loan" aria-labelledby=${headingId} data-loan=${loan.id}>
      <header>
        <h3 id=${headingId} part="loan-heading">${this.t('loan.number', { number: loan.loanNumber })}</h3>
        <span part=${`label label-${loan.status}`}>${this.t(loanStatusKey(loan.status))}</span>
      </header>
      <dl>
        <dt>${this.t('loan.principal')}</dt>
        <dd>${this.money(loan.principal)}</dd>
        ${
          ended
            ? loan.closedOn
              ? html`<dt>${this.t('loan.state')}</dt>
                  <dd>${this.t('loan.closedOn', { date: this.date(loan.closedOn) })}</dd>`
              : nothing
            : html`<dt>${this.t('loan.nextDue')}</dt>
                <dd part="next-due">
                  ${
                    next
                      ? this.t('loan.nextDueValue', {
                          amount: this.money(next.due),
                          date: this.date(next.dueDate),
                        })
                      : this.t('loan.noneDue')
                  }
                </dd>
                <dt>${this.t('loan.dpd')}</dt>
                <dd part="dpd">${loan.daysPastDue}</dd>`
        }
      </dl>
      ${
        ended
          ? nothing
          : html`<h4 class="muted">${this.t('loan.outstanding')}</h4>
              <dl part="outstanding">
                <dt>${this.t('apply.principal')}</dt>
                <dd>${this.money(o.principal)}</dd>
                <dt>${this.t('apply.interest')}</dt>
                <dd>${this.money(o.interest)}</dd>
                <dt>${this.t('apply.fees')}</dt>
                <dd>${this.money(o.fees)}</dd>
                <dt>${this.t('loan.penalties')}</dt>
                <dd>${this.money(o.penalties)}</dd>
                <dt class="total">${this.t('apply.total')}</dt>
                <dd class="total">${this.money(o.total)}</dd>
              </dl>`
      }
      <button
        part="schedule-toggle"
        class="secondary"
        type="button"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${`schedule-${loan.id}`}
        @click=${() => this.#toggle(loan.id)}
      >
        ${open ? this.t('loan.hideSchedule') : this.t('loan.showSchedule')}
      </button>
      <div id=${`schedule-${loan.id}`} ?hidden=${!open}>
        ${
          open
            ? html`${
                this.chart
                  ? html`<ul class="legend" aria-hidden="true">
                        <li><span class="swatch swatch-principal"></span>${this.t('apply.principal')}</li>
                        <li><span class="swatch swatch-interest"></span>${this.t('apply.interest')}</li>
                      </ul>
                      <div part="chart" data-chart=${loan.id} aria-hidden="true"></div>`
                  : nothing
              }
              ${scheduleTable(
                loan.schedule,
                { t: (k, p) => this.t(k, p), money: (m) => this.money(m), date: (d) => this.date(d) },
                `${this.t('loan.schedule')} — ${this.t('loan.number', { number: loan.loanNumber })}`,
              )}`
            : nothing
        }
      </div>
    </article>`;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const state = this.state;
    let body: unknown;
    if (state.status === 'loading') {
      body = html`<div part="skeleton" role="status"><span class="visually-hidden">${this.t('loan.loading')}</span></div>`;
    } else if (state.status === 'error') {
      body = html`<p part="error" role="alert">${state.message}</p>
        ${
          state.requestId
            ? html`<p class="muted">${this.t('error.reference', { requestId: state.requestId })}</p>`
            : nothing
        }`;
    } else if (state.loans.length === 0) {
      body = html`<p part="empty" class="muted">${this.t('loan.empty')}</p>`;
    } else {
      body = state.loans.map((loan) => this.#renderLoan(loan));
    }
    return html`
      <section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
        <h2 id="title" part="heading">${this.t('loan.title')}</h2>
        ${body}
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
