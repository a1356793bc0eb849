/**
 * The stacked bar chart, drawn with uPlot (a small, well-kept canvas chart library). This module is
 * the LAZY chunk: widgets never import it statically, only through `loadStackedBars()` in
 * `./index.ts`, so uPlot does not count against a widget's up-front size.
 *
 * uPlot does not stack by itself: each series is drawn as the running total of itself and the
 * series below it, top series first, so the visible bands are the parts of the stack.
 */
import uPlot from 'uplot';
import type { StackedBarsChart, StackedBarsData } from './index.ts';

/** The few rules of uPlot's stylesheet a legend-less, cursor-less chart needs (constructable, CSP-safe). */
const CHART_CSS = `
.uplot, .uplot * { box-sizing: border-box; }
.uplot { inline-size: min-content; line-height: 1.5; }
.u-wrap { position: relative; user-select: none; }
.u-over, .u-under { position: absolute; }
.u-under { overflow: hidden; }
.uplot canvas { display: block; position: relative; inline-size: 100%; block-size: 100%; }
.u-axis { position: absolute; }
.u-legend, .u-cursor-x, .u-cursor-y, .u-cursor-pt, .u-select { display: none; }
`;

let sheet: CSSStyleSheet | undefined;

/** Adopts the chart rules into the shadow root (or document) that holds `target`, once. */
function adoptStyles(target: HTMLElement): void {
  const root = target.getRootNode() as ShadowRoot | Document;
  if (!('adoptedStyleSheets' in root)) return;
  if (sheet === undefined) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CHART_CSS);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** Draws `data` into `target` (replacing what was there) and answers a handle to update or remove it. */
export function drawStackedBars(target: HTMLElement, data: StackedBarsData): StackedBarsChart {
  adoptStyles(target);
  const style = getComputedStyle(target);
  const text = style.color || '#111827';
  const grid = 'rgba(127,127,127,0.25)';
  const width = () => Math.max(200, Math.floor(target.clientWidth || 480));
  const height = data.height ?? 220;

  const toAligned = (d: StackedBarsData): uPlot.AlignedData => {
    const xs = d.labels.map((_, i) => i + 1);
    // Running totals, bottom series first; drawn in reverse so the lower parts paint over the taller ones.
    const totals: number[][] = [];
    let running = xs.map(() => 0);
    for (const series of d.series) {
      running = running.map((sum, i) => sum + (series.values[i] ?? 0));
      totals.push(running);
    }
    return [xs, ...totals.reverse()];
  };

  const bars = uPlot.paths.bars?.({ size: [0.6, 64] });
  const series: uPlot.Series[] = [
    {},
    ...[...data.series].reverse().map((s) => ({
      label: s.label,
      stroke: s.color,
      fill: s.color,
      width: 0,
      paths: bars,
      points: { show: false },
    })),
  ];
  const options: uPlot.Options = {
    width: width(),
    height,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
      // Stacked bars start at zero, or the parts would not compare.
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      {
        stroke: text,
        grid: { show: false },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (data.labels[v - 1] ?? '') : '')),
      },
      {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        size: 64,
        values: (_u, splits) => splits.map((v) => data.formatValue?.(v) ?? String(v)),
      },
    ],
    series,
  };
  target.replaceChildren();
  const plot = new uPlot(options, toAligned(data), target);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height }));
  resize.observe(target);
  let destroyed = false;
  return {
    update(next: StackedBarsData) {
      plot.setData(toAligned(next));
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      resize.disconnect();
      plot.destroy();
    },
  };
}
