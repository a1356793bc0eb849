import {
  css,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  unsafeCSS,
} from 'lit';
import type uPlot from 'uplot';
import { base, tokens } from '../styles/tokens.ts';

/** One series of a chart: a label and one value per category (null: no value). */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

/** What a chart shows: categories along the x axis, one or more series. */
export interface ChartSpec {
  kind: 'line' | 'bar';
  /** The accessible name of the chart and the caption of its data table. */
  title: string;
  /** The header of the category column in the data table. */
  categoryLabel: string;
  categories: string[];
  series: ChartSeries[];
  /** How a value is written on the axis and in the table (default: the locale's number). */
  format?: (value: number) => string;
}

/** The series colours: readable on light and dark backgrounds alike. */
export const CHART_COLORS = ['#0b8a63', '#2563eb', '#c2410c', '#7c3aed', '#be185d'];

let uplotModule: Promise<typeof uPlot> | undefined;
/** uPlot, imported on first use only: a page without charts never downloads it. */
export function loadUPlot(): Promise<typeof uPlot> {
  uplotModule ??= import('uplot').then((module) => module.default);
  return uplotModule;
}

/** The parts of uPlot's stylesheet a chart without legend and selection needs (in the shadow root). */
const uplotStyles = css`
  .uplot {
    inline-size: min-content;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    inline-size: 100%;
    block-size: 100%;
  }
  .u-axis {
    position: absolute;
  }
  .u-cursor-x,
  .u-cursor-y,
  .u-select,
  .u-cursor-pt {
    display: none;
  }
`;

/**
 * A chart drawn with uPlot (loaded lazily), with its data as a table behind it: screen readers
 * read the table (the canvas is hidden from them), and anyone can show it with the "Show data"
 * button. The staff widgets use it for trends and distributions. Not a public widget: the widgets
 * that use it register it.
 *
 * @csspart figure - The figure.
 * @csspart plot - The canvas area.
 * @csspart table - The data table.
 * @csspart toggle - The show/hide data button.
 */
export class WkChart extends LitElement {
  static override styles = [
    tokens,
    base,
    uplotStyles,
    css`
      figure {
        margin: 0;
      }
      figcaption {
        font-weight: 600;
        margin-block-end: calc(var(--_wk-space) * 2);
      }
      .plot {
        min-block-size: 12rem;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_wk-space) * 3);
        font-size: 0.875em;
        margin: var(--_wk-space) 0 0;
        padding: 0;
        list-style: none;
      }
      .swatch {
        display: inline-block;
        inline-size: 0.75em;
        block-size: 0.75em;
        margin-inline-end: var(--_wk-space);
        border-radius: 2px;
      }
      ${unsafeCSS(CHART_COLORS.map((color, i) => `.c${i} { background: ${color}; }`).join('\n'))}
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        margin-block-start: calc(var(--_wk-space) * 2);
      }
      th,
      td {
        text-align: start;
        padding-inline: calc(var(--_wk-space) * 2);
        border-block-end: 1px solid var(--_wk-surface);
      }
      td.num {
        text-align: end;
      }
      button.toggle {
        background: none;
        border: none;
        color: var(--_wk-primary);
        text-decoration: underline;
        padding: 0;
        min-block-size: 0;
        font-size: 0.875em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    spec: { attribute: false },
    showTable: { state: true },
    toggleLabels: { attribute: false },
  };

  declare spec: ChartSpec | undefined;
  /** The toggle's texts (localized by the widget using the chart). */
  declare toggleLabels: { show: string; hide: string };
  declare private showTable: boolean;

  #plot: uPlot | undefined;
  #resize: ResizeObserver | undefined;

  constructor() {
    super();
    this.showTable = false;
    this.toggleLabels = { show: 'Show data', hide: 'Hide data' };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#resize = undefined;
    this.#plot?.destroy();
    this.#plot = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('spec')) void this.#draw();
  }

  async #draw(): Promise<void> {
    const spec = this.spec;
    const host = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!spec || !host) return;
    const UPlot = await loadUPlot();
    if (spec !== this.spec) return;
    this.#plot?.destroy();
    const text = getComputedStyle(this).color || '#374151';
    const format = spec.format ?? ((v: number) => String(v));
    const width = Math.max(host.clientWidth, 240);
    const bars = spec.kind === 'bar' ? UPlot.paths.bars?.({ size: [0.6, 64] }) : undefined;
    const options: uPlot.Options = {
      width,
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
      axes: [
        {
          stroke: text,
          font: '11px system-ui, sans-serif',
          grid: { show: false },
          // At most one label per ~72 px (a long daily trend would otherwise overprint itself).
          splits: () => {
            const step = Math.max(1, Math.ceil(spec.categories.length / Math.max(2, Math.floor(width / 72))));
            return spec.categories.map((_, i) => i).filter((i) => i % step === 0);
          },
          values: (_u, splits) => splits.map((i) => spec.categories[i] ?? ''),
          ...(spec.categories.some((c) => c.length > 8) && spec.kind === 'bar'
            ? { rotate: -30, size: 56 }
            : {}),
        },
        {
          stroke: text,
          font: '11px system-ui, sans-serif',
          values: (_u, splits) => splits.map((v) => format(v)),
          size: 64,
        },
      ],
      series: [
        {},
        ...spec.series.map((series, index) => {
          const color = CHART_COLORS[index % CHART_COLORS.length] as string;
          return {
            label: series.label,
            stroke: color,
            width: 2,
            ...(spec.kind === 'bar' ? { fill: color, paths: bars, points: { show: false } } : {}),
          };
        }),
      ],
    };
    const data: uPlot.AlignedData = [
      spec.categories.map((_, i) => i),
      ...spec.series.map((series) => series.values),
    ];
    this.#plot = new UPlot(options, data, host);
    this.#resize ??= new ResizeObserver(() => {
      const box = this.renderRoot.querySelector<HTMLElement>('.plot');
      if (box && this.#plot && Math.abs(this.#plot.width - box.clientWidth) > 4 && box.clientWidth > 0) {
        this.#plot.setSize({ width: Math.max(box.clientWidth, 240), height: 200 });
      }
    });
    this.#resize.observe(host);
  }

  protected override render() {
    const spec = this.spec;
    if (!spec) return nothing;
    const format = spec.format ?? ((v: number) => String(v));
    return html`<figure part="figure">
      <figcaption id="caption">${spec.title}</figcaption>
      <div class="plot" part="plot" aria-hidden="true"></div>
      ${
        spec.series.length > 1
          ? html`<ul class="legend" aria-hidden="true">
              ${spec.series.map(
                (s, i) => html`<li><span class="swatch c${i % CHART_COLORS.length}"></span>${s.label}</li>`,
              )}
            </ul>`
          : nothing
      }
      <button
        class="toggle"
        part="toggle"
        type="button"
        aria-expanded=${this.showTable ? 'true' : 'false'}
        @click=${() => {
          this.showTable = !this.showTable;
        }}
      >
        ${this.showTable ? this.toggleLabels.hide : this.toggleLabels.show}
      </button>
      <!-- A table ignores a 1px height: the wrapper hides it (visually only). -->
      <div class=${this.showTable ? '' : 'visually-hidden'}><table part="table">
        <caption class="visually-hidden">${spec.title}</caption>
        <thead>
          <tr>
            <th scope="col">${spec.categoryLabel}</th>
            ${spec.series.map((s) => html`<th scope="col">${s.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${spec.categories.map(
            (category, i) => html`<tr>
              <th scope="row">${category}</th>
              ${spec.series.map((s) => {
                const v = s.values[i];
                return html`<td class="num">${v === null || v === undefined ? '—' : format(v)}</td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table></div>
    </figure>`;
  }
}

/** Registers `<wk-chart>` once (the widgets that draw charts call this). */
export function defineChart(): void {
  if (!customElements.get('wk-chart')) customElements.define('wk-chart', WkChart);
}

declare global {
  interface HTMLElementTagNameMap {
    'wk-chart': WkChart;
  }
}
