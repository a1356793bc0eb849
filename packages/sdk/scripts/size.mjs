// `pnpm --filter @wekeza/sdk size`: the SDK core as a browser app would ship it — the root entry
// bundled with every dependency (zod/mini, the money type), minified ESM for the browser — and
// its gzip (-9) size. Exits non-zero above the budget (issue 3 §6: SDK core ≤ 12 kB gzip).
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_GZIP_BYTES = 12 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));

const result = await build({
  entryPoints: [`${root}src/index.ts`],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@wekeza/source'],
  write: false,
  metafile: true,
  logLevel: 'warning',
});

const code = result.outputFiles[0].contents;
const gzip = gzipSync(code, { level: 9 }).length;
const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

// What a browser bundle must never contain.
const inputs = Object.keys(result.metafile.inputs);
const forbidden = inputs.filter((file) => /decimal\.js|\/rates\/|^node:|reference-server/.test(file));

console.log('@wekeza/sdk core (root entry, ESM, browser, minified, all dependencies bundled)');
console.log(`  minified       ${kB(code.length)}`);
console.log(`  gzip -9        ${kB(gzip)}   (budget ${kB(BUDGET_GZIP_BYTES)})`);
// Where the minified bytes come from, so a budget overrun points at its cause.
const groups = { 'zod/mini': 0, 'contract schemas': 0, money: 0, 'client (core, internal, resources)': 0 };
const byInput = Object.values(result.metafile.outputs)[0].inputs;
for (const [file, { bytesInOutput }] of Object.entries(byInput)) {
  const group = file.includes('node_modules/')
    ? 'zod/mini'
    : file.includes('/contract/')
      ? 'contract schemas'
      : file.includes('/money/')
        ? 'money'
        : 'client (core, internal, resources)';
  groups[group] = (groups[group] ?? 0) + bytesInOutput;
}
console.log('  minified bytes by origin:');
for (const [group, bytes] of Object.entries(groups)) console.log(`    ${kB(bytes).padStart(9)}  ${group}`);
if (process.argv.includes('--verbose')) {
  for (const [file, { bytesInOutput }] of Object.entries(byInput).sort(
    (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
  )) {
    console.log(`    ${String(bytesInOutput).padStart(7)}  ${file}`);
  }
}
let failed = false;
if (forbidden.length > 0) {
  console.error(`FAIL: the browser bundle pulls in server-only code: ${forbidden.join(', ')}`);
  failed = true;
}
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`FAIL: ${kB(gzip)} gzip is over the ${kB(BUDGET_GZIP_BYTES)} budget`);
  failed = true;
}
process.exit(failed ? 1 : 0);
