// `pnpm --filter @wekeza/sdk size`: the SDK as a browser app would ship it — the root entry bundled
// with every dependency (zod/mini, the money type), minified ESM for the browser, code-split —
// and gzip (-9) sizes. The core (what a page loads before it can construct a client and send a
// request) must stay within 12 kB gzip (issue 3 §6); the contract's schemas, which check
// responses, are a chunk of their own loaded with the first response (or never, with
// `validateResponses: false`), and are reported beside it. Exits non-zero above the budget.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_GZIP_BYTES = 12 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'wekeza-sdk-size-'));

const result = await build({
  entryPoints: { index: `${root}src/index.ts` },
  bundle: true,
  minify: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@wekeza/source'],
  outdir,
  metafile: true,
  logLevel: 'warning',
});

const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint);
/** The output files reached from `start` through imports of the given kinds. */
function reach(start, kinds) {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    for (const imported of outputs[queue.shift()].imports) {
      if (kinds.includes(imported.kind) && !seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return seen;
}
const eager = reach(entry, ['import-statement']);
const all = reach(entry, ['import-statement', 'dynamic-import']);
const gzipOf = (files) =>
  [...files].reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
const minOf = (files) => [...files].reduce((sum, file) => sum + outputs[file].bytes, 0);
const lazy = new Set([...all].filter((file) => !eager.has(file)));
const coreGzip = gzipOf(eager);
const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

console.log('@wekeza/sdk in a browser (root entry, ESM, minified, code-split, all dependencies bundled)');
console.log(
  `  core, loaded up front       ${kB(minOf(eager)).padStart(9)} min  ${kB(coreGzip).padStart(9)} gzip   (budget ${kB(BUDGET_GZIP_BYTES)})`,
);
console.log(
  `  response schemas (lazy)     ${kB(minOf(lazy)).padStart(9)} min  ${kB(gzipOf(lazy)).padStart(9)} gzip`,
);
console.log(
  `  everything                  ${kB(minOf(all)).padStart(9)} min  ${kB(gzipOf(all)).padStart(9)} gzip`,
);

// Where the minified bytes come from, so a budget overrun points at its cause.
const groups = {};
for (const file of all) {
  for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
    const group = input.includes('node_modules/')
      ? 'zod/mini'
      : input.includes('/contract/')
        ? 'contract schemas'
        : input.includes('/money/')
          ? 'money'
          : 'client (core, internal, resources)';
    const where = eager.has(file) ? 'core' : 'lazy';
    groups[`${group} (${where})`] = (groups[`${group} (${where})`] ?? 0) + bytesInOutput;
  }
}
console.log('  minified bytes by origin:');
for (const [group, bytes] of Object.entries(groups)) console.log(`    ${kB(bytes).padStart(9)}  ${group}`);

// What a browser bundle must never contain.
const inputs = Object.keys(result.metafile.inputs);
const forbidden = inputs.filter((file) => /decimal\.js|\/rates\/|^node:|reference-server/.test(file));
rmSync(outdir, { recursive: true, force: true });

let failed = false;
if (forbidden.length > 0) {
  console.error(`FAIL: the browser bundle pulls in server-only code: ${forbidden.join(', ')}`);
  failed = true;
}
if (coreGzip > BUDGET_GZIP_BYTES) {
  console.error(`FAIL: the core is ${kB(coreGzip)} gzip, over the ${kB(BUDGET_GZIP_BYTES)} budget`);
  failed = true;
}
process.exit(failed ? 1 : 0);
