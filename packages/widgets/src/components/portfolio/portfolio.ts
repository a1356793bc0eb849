import type { Portfolio, PortfolioDay } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { type ChartSpec, defineChart, WkChart } from '../../charts/chart.ts';
import { StaffElement } from '../../core/staff.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; portfolio: Portfolio; history: PortfolioDay[] };

const BUCKETS = ['current', '1-30', '31-60', '61-90', '91+'] as const;
const CLASSES = ['normal', 'watch', 'substandard', 'doubtful', 'loss'] as const;

/** The day `days` before an ISO date (UTC calendar arithmetic). */
function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * Portfolio quality for Risk Ops: NPL ratio and PAR30 now and their trend over the last days,
 * loans by days-past-due bucket and by CBK risk class, and the score distribution of the book.
 * Charts are drawn with uPlot, loaded on first use; every chart has its data as a table behind it.
 * Figures are as of the last closed bank day.
 *
 * @fires wk-ready - The figures are shown.
 * @fires wk-error - Loading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart kpis - The key figures.
 * @csspart npl - The NPL ratio.
 * @csspart par30 - PAR30.
 * @csspart chart - Each chart (a `<wk-chart>`: parts figure, plot, table, toggle).
 * @csspart status - The polite live region.
 * @csspart error - The error message (role=alert).
 *
 * @cssprop --wk-color-text - Axis text.
 */
export class WkPortfolio extends StaffElement {
  static override styles = [
    ...StaffElement.styles,
    css`
      .kpis {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
        gap: calc(var(--_wk-space) * 3);
        margin: 0 0 calc(var(--_wk-space) * 4);
      }
      .kpis div {
        background: var(--_wk-surface);
        border-radius: var(--_wk-radius);
        padding: calc(var(--_wk-space) * 3);
      }
      .kpis dt {
        color: var(--_wk-muted);
        font-size: 0.875em;
      }
      .kpis dd {
        margin: 0;
        font-size: 1.375em;
        overflow-wrap: anywhere;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    currency: { type: String },
    days: { type: Number },
    state: { state: true },
  };

  /** The book's currency (default KES). */
  declare currency: string;
  /** How many bank days the trend covers (default 90, at most 366). */
  declare days: number;
  declare private state: State;

  constructor() {
    super();
    this.currency = 'KES';
    this.days = 90;
    this.state = { status: 'loading' };
    defineChart();
    void WkChart;
  }

  protected override loadKey(): unknown[] {
    return [this.currency, this.days];
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
      const portfolio = await staff.risk.portfolio.retrieve({ currency: this.currency as 'KES' });
      let history: PortfolioDay[] = [];
      if (portfolio.asOf) {
        const span = Math.min(Math.max(this.days, 2), 366) - 1;
        const answer = await staff.risk.portfolio.history({
          from: daysBefore(portfolio.asOf, span),
          to: portfolio.asOf,
          currency: this.currency as 'KES',
        });
        history = answer.data;
      }
      if (!current()) return;
      this.state = { status: 'ready', portfolio, history };
      this.markReady();
    } catch (error) {
      if (!current()) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  #charts(p: Portfolio, history: PortfolioDay[]): ChartSpec[] {
    const pct = (v: number) => this.percent(v / 100, 1);
    const count = (v: number) => this.number(v);
    return [
      {
        kind: 'line',
        title: this.s('portfolio.trend'),
        categoryLabel: this.s('portfolio.day'),
        categories: history.map((d) => d.bankDate),
        series: [
          { label: this.s('portfolio.npl'), values: history.map((d) => Number(d.nplRatio) * 100) },
          { label: this.s('portfolio.par30'), values: history.map((d) => Number(d.par30) * 100) },
        ],
        format: pct,
      },
      {
        kind: 'bar',
        title: this.s('portfolio.byBucket'),
        categoryLabel: this.s('portfolio.bucket'),
        categories: BUCKETS.map((b) => this.s(`bucket.${b}`)),
        series: [{ label: this.s('portfolio.loans'), values: BUCKETS.map((b) => p.loansByBucket[b].loans) }],
        format: count,
      },
      {
        kind: 'bar',
        title: this.s('portfolio.byClass'),
        categoryLabel: this.s('portfolio.class'),
        categories: CLASSES.map((c) => this.s(`class.${c}`)),
        series: [{ label: this.s('portfolio.loans'), values: CLASSES.map((c) => p.loansByClass[c].loans) }],
        format: count,
      },
      {
        kind: 'bar',
        title: this.s('portfolio.scores'),
        categoryLabel: this.s('portfolio.band'),
        categories: p.scoreDistribution.map((b) => b.band),
        series: [{ label: this.s('portfolio.loans'), values: p.scoreDistribution.map((b) => b.loans) }],
        format: count,
      },
    ];
  }

  protected override render() {
    if (!this.staffReady) return nothing;
    const state = this.state;
    return html`<section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
      <h2 id="title" part="heading">${this.s('portfolio.title')}</h2>
      ${
        state.status === 'loading'
          ? html`<p role="status">${this.s('common.loading')}</p>`
          : state.status === 'error'
            ? html`<p part="error" role="alert">${state.message}</p>
                <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.retry')}</button>`
            : this.#renderReady(state.portfolio, state.history)
      }
      <div class="actions">
        <button class="secondary" type="button" @click=${() => this.load()}>${this.t('common.refresh')}</button>
      </div>
      <p part="status" class="visually-hidden" role="status" aria-live="polite">
        ${state.status === 'ready' ? this.s('portfolio.asOf', { date: state.portfolio.asOf ?? '—' }) : ''}
      </p>
    </section>`;
  }

  #renderReady(p: Portfolio, history: PortfolioDay[]) {
    const labels = { show: this.s('chart.show'), hide: this.s('chart.hide') };
    return html`
      <p class="muted">${p.asOf ? this.s('portfolio.asOf', { date: p.asOf }) : this.s('portfolio.noDay')}</p>
      <dl part="kpis" class="kpis">
        <div><dt>${this.s('portfolio.npl')}</dt><dd part="npl">${this.percent(p.nplRatio)}</dd></div>
        <div><dt>${this.s('portfolio.par30')}</dt><dd part="par30">${this.percent(p.par30)}</dd></div>
        <div><dt>${this.s('portfolio.loans')}</dt><dd>${this.number(p.loans)}</dd></div>
        <div><dt>${this.s('portfolio.outstanding')}</dt><dd>${this.money(p.outstandingPrincipal)}</dd></div>
      </dl>
      ${
        p.loans === 0
          ? html`<p class="muted">${this.s('portfolio.empty')}</p>`
          : html`<div class="grid">
              ${this.#charts(p, history).map(
                (spec) => html`<wk-chart part="chart" .spec=${spec} .toggleLabels=${labels}></wk-chart>`,
              )}
            </div>`
      }
    `;
  }
}
