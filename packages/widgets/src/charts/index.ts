/**
 * Charts for the widgets, shared by every engineer's widgets (loan schedule, savings growth, …).
 * The drawing code and the chart library (uPlot) are a separate chunk, fetched with a dynamic
 * `import()` the first time a chart is drawn: they never count against a widget's up-front size.
 * A chart is decoration for sighted users: the widget keeps the same numbers in a table beside it
 * (screen readers read the table; mark the chart's container `aria-hidden="true"`).
 *
 * ```ts
 * const chart = await drawStackedBarsLazily(container, {
 *   labels: ['1', '2', '3'],
 *   series: [
 *     { label: 'Principal', values: [100, 100, 100], color: '#0b6e4f' },
 *     { label: 'Interest', values: [18, 12, 6], color: '#93c5fd' },
 *   ],
 * });
 * chart.destroy(); // in disconnectedCallback
 * ```
 */

/** One stacked series (bottom first): a label for the legend and a value per bar. */
export interface StackedSeries {
  label: string;
  values: number[];
  /** Any CSS colour (resolve `--wk-*` variables with getComputedStyle before passing them). */
  color: string;
}

export interface StackedBarsData {
  /** One label per bar (x axis). */
  labels: string[];
  /** Bottom series first. */
  series: StackedSeries[];
  /** Formats the y axis values (default `String`). */
  formatValue?: (value: number) => string;
  /** Pixels (default 220). */
  height?: number;
}

export interface StackedBarsChart {
  update(data: StackedBarsData): void;
  destroy(): void;
}

let loading: Promise<typeof import('./stacked-bars.ts')> | undefined;

/** Loads the chart chunk (once) and draws a stacked bar chart into `target`. */
export async function drawStackedBarsLazily(
  target: HTMLElement,
  data: StackedBarsData,
): Promise<StackedBarsChart> {
  loading ??= import('./stacked-bars.ts');
  const { drawStackedBars } = await loading;
  return drawStackedBars(target, data);
}
