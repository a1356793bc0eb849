#!/usr/bin/env node
/**
 * Bundle sizes of the widgets, as a page loads them: esbuild, minified, ESM, browser, every
 * dependency bundled (Lit, @lit/context, the SDK), code-split so lazy chunks (each locale's
 * messages, mock mode's fixtures) load only when used. For each define entry (one widget with Lit)
 * it prints the gzip size of what a page loads up front (the entry and its static imports) and of
 * the lazy chunks; for all widgets together, the gzip size of every file. Exits non-zero above the
 * budgets: one widget ≤ 20 kB up front, all widgets (and the staff widgets) ≤ 60 kB up front together
 * (lazy chunks listed apart).
 */
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_ONE = 20 * 1024;
const BUDGET_ALL = 60 * 1024;
const root = new URL('..', import.meta.url).pathname;
const widgets = [
  'wk-provider',
  'wk-login',
  'wk-wallet-balance',
  'wk-transactions',
  'wk-amount-input',
  'wk-transfer-form',
  // Save, statements (issue 12)
  'wk-savings',
  'wk-fixed-deposit',
  'wk-statement',
  // Borrow (issue 12)
  'wk-credit-limit',
  'wk-loan-application',
  'wk-loan-status',
  'wk-repayment',
  // Move money in and out (issue 14).
  'wk-deposit',
  'wk-withdraw',
  // Staff widgets (the Admin Workbench): each within the same budget up front; charts (uPlot),
  // the audit verifier and the staff messages load lazily.
  'wk-customer-search',
  'wk-customer-360',
  'wk-application-review',
  'wk-approval-queue',
  'wk-audit-log',
  'wk-portfolio',
  'wk-model-governance',
  'wk-policy-editor',
];

async function measure(entry) {
  const result = await build({
    entryPoints: [`${root}src/define/${entry}.ts`],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/size-out',
    write: false,
    metafile: true,
    conditions: ['@wekeza/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const gzip = new Map(
    result.outputFiles.map((file) => [file.path, gzipSync(file.contents, { level: 9 }).length]),
  );
  const outputs = result.metafile.outputs;
  const entryPath = Object.keys(outputs).find((path) => outputs[path].entryPoint);
  // Up front: the entry and everything it imports statically, transitively.
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[path].imports)
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryPath);
  const sizeOf = (path) => {
    const size = gzip.get(resolve(path));
    if (size === undefined) throw new Error(`No output for ${path}`);
    return size;
  };
  let upfront = 0;
  let total = 0;
  const chunks = [];
  for (const path of Object.keys(outputs)) {
    total += sizeOf(path);
    if (eager.has(path)) upfront += sizeOf(path);
    else chunks.push({ size: sizeOf(path), name: chunkName(outputs[path]) });
  }
  return { upfront, lazy: total - upfront, total, chunks };
}

/** A lazy chunk named by its largest inputs (e.g. `uplot`, `i18n/sw.ts`, `mock/fixtures.ts`). */
function chunkName(output) {
  const inputs = Object.entries(output.inputs)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    .slice(0, 2)
    .map(([path]) => {
      const pkg = /.*node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(path);
      return pkg ? pkg[1] : path.replace(/^.*?\/src\//, '');
    });
  return [...new Set(inputs)].join(' + ') || '(shared)';
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
let failed = false;
console.log(
  '@wekeza/widgets sizes (esbuild, minified ESM, every dependency bundled incl. Lit and the SDK, gzip -9)',
);
console.log(`  ${'entry'.padEnd(28)} ${'up front'.padStart(9)} ${'lazy'.padStart(9)}  budget`);
for (const name of widgets) {
  const { upfront, lazy } = await measure(name);
  const over = upfront > BUDGET_ONE;
  failed ||= over;
  console.log(
    `  ${`define/${name}`.padEnd(28)} ${kb(upfront).padStart(9)} ${kb(lazy).padStart(9)}  ${over ? 'OVER' : 'ok'} (≤ ${kb(BUDGET_ONE)} up front)`,
  );
}
const all = await measure('all');
// The budget for every widget together is what a page loads up front (issue 12); lazy chunks
// (locales, mock mode, the chart library) load only when used and are listed below.
const over = all.upfront > BUDGET_ALL;
failed ||= over;
console.log(
  `  ${'define/all (every widget)'.padEnd(28)} ${kb(all.upfront).padStart(9)} ${kb(all.lazy).padStart(9)}  ${over ? 'OVER' : 'ok'} (≤ ${kb(BUDGET_ALL)} up front; ${kb(all.total)} with every lazy chunk)`,
);
console.log('  lazy chunks of define/all (loaded on first use):');
for (const chunk of all.chunks.sort((a, b) => b.size - a.size)) {
  console.log(`    ${kb(chunk.size).padStart(9)}  ${chunk.name}`);
}
// The staff widgets together (the Admin Workbench's page): the budget is what the page loads up
// front, like define/all (the issue's budgets are up front); the total with every lazy chunk
// (uPlot, the audit verifier, the staff messages, mock mode) is printed beside it.
const staff = await measure('staff');
const staffOver = staff.upfront > BUDGET_ALL;
failed ||= staffOver;
console.log(
  `  ${'define/staff (staff widgets)'.padEnd(28)} ${kb(staff.upfront).padStart(9)} ${kb(staff.lazy).padStart(9)}  ${staffOver ? 'OVER' : 'ok'} (≤ ${kb(BUDGET_ALL)} up front; ${kb(staff.total)} with every lazy chunk)`,
);
if (failed) {
  console.error('Size budget exceeded.');
  process.exit(1);
}
