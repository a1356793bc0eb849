/**
 * `pnpm bench:statements`: renders a 100,000-line statement (a year of a busy account) in each format
 * and prints the time, the output size and the peak resident memory of the process that rendered it.
 * Each format runs in a child process of its own, so one format's garbage or peak cannot hide in
 * another's figure; lines are generated one at a time (test/support/statement-lines.ts), so what the
 * peak shows is the renderer's own memory, not the data's.
 *
 *   BENCH_STATEMENT_LINES=100000 pnpm bench:statements
 *   BENCH_PDF_FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
 *   BENCH_PDF_FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf  (also time the PDF with embedded TrueType fonts)
 *
 * Output goes to a counting sink (bytes are discarded), so disk speed does not enter the figures.
 */
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  renderStatement,
  STATEMENT_FORMATS,
  type StatementFormat,
} from '../src/modules/statements/render.ts';
import { syntheticStatement } from '../test/support/statement-lines.ts';

const LINES = Number(process.env.BENCH_STATEMENT_LINES ?? 100_000);
const FONT = process.env.BENCH_PDF_FONT;
const FONT_BOLD = process.env.BENCH_PDF_FONT_BOLD ?? FONT;

interface Result {
  format: string;
  lines: number;
  seconds: number;
  megabytes: number;
  peakRssMb: number;
  baselineRssMb: number;
}

/** Runs one format in this process and prints its result as JSON (the child's side). */
async function runOne(format: StatementFormat, withFont: boolean): Promise<void> {
  const { header, lines } = syntheticStatement(LINES);
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      // Acknowledge on a later turn of the event loop, as a socket does.
      setImmediate(callback);
    },
  });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = process.hrtime.bigint();
  const font = withFont && FONT && FONT_BOLD ? { regular: FONT, bold: FONT_BOLD } : undefined;
  await renderStatement(format, header, lines(), sink, { pdf: { fonts: font } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  // resourceUsage().maxRSS is the kernel's own high-water mark (KiB), which the sampler could miss.
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const result: Result = {
    format: withFont ? `${format} (TrueType font)` : format,
    lines: LINES,
    seconds,
    megabytes: bytes / 1e6,
    peakRssMb: peak / 1e6,
    baselineRssMb: baseline / 1e6,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const runs: [StatementFormat, boolean][] = STATEMENT_FORMATS.map((format) => [format, false]);
  if (FONT) runs.push(['pdf', true]);
  const results: Result[] = [];
  for (const [format, withFont] of runs) {
    const output = execFileSync(
      process.execPath,
      [...process.execArgv, self, '--one', format, withFont ? '--font' : '--no-font'],
      { env: process.env, encoding: 'utf8', maxBuffer: 1024 * 1024 },
    );
    results.push(JSON.parse(output.trim().split('\n').pop() as string) as Result);
  }
  console.log(
    `Statements of ${LINES.toLocaleString('en')} lines, one child process per format (Node ${process.version})\n`,
  );
  console.log('format                  seconds   lines/s     output MB   peak RSS MB   (RSS before)');
  for (const r of results) {
    console.log(
      `${r.format.padEnd(22)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.lines / r.seconds)
        .toLocaleString('en')
        .padStart(
          9,
        )} ${r.megabytes.toFixed(1).padStart(13)} ${r.peakRssMb.toFixed(0).padStart(13)}   (${r.baselineRssMb.toFixed(0)})`,
    );
  }
}

const one = process.argv.indexOf('--one');
if (one >= 0) {
  await runOne(process.argv[one + 1] as StatementFormat, process.argv.includes('--font'));
} else {
  main();
}
