import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../vitest.config.ts';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const here = import.meta.dirname;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Wekeza widgets under a strict CSP</title>
    <script src="/listen.js"></script>
    <script type="module" src="/page.js"></script>
  </head>
  <body>
    <main>
      <wk-provider mode="mock" locale="sw">
        <wk-login></wk-login>
        <wk-wallet-balance></wk-wallet-balance>
        <wk-transactions></wk-transactions>
        <wk-transfer-form></wk-transfer-form>
      </wk-provider>
    </main>
  </body>
</html>`;

/** A classic script (from 'self') that records CSP violations and wk-ready events before anything renders. */
const LISTEN = `window.__violations = [];
window.__ready = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));
document.addEventListener('wk-ready', (e) => window.__ready.push(e.detail.widget));`;

let server: Server;
let browser: Browser;
let origin: string;
let outdir: string;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'wk-csp-'));
  // The production build of every widget (Lit prod mode), code-split so the lazy locale chunks load too.
  await build({
    entryPoints: { page: join(here, '../src/define/all.ts') },
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir,
    conditions: ['@wekeza/source'],
    logLevel: 'silent',
  });
  server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const headers = { 'Content-Security-Policy': CSP };
    if (path === '/') {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (path === '/favicon.ico') {
      response.writeHead(204, headers).end();
    } else if (path === '/listen.js') {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(LISTEN);
    } else if (extname(path) === '.js' && !path.includes('..')) {
      try {
        const body = await readFile(join(outdir, path));
        response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(body);
      } catch {
        response.writeHead(404, headers).end();
      }
    } else {
      response.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(outdir, { recursive: true, force: true });
});

describe('widgets under a strict Content-Security-Policy (no unsafe-inline, no eval)', () => {
  it('when served with script-src/style-src self, then every widget renders and no violation fires', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    const response = await page.goto(origin);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    await page.waitForFunction(() => (window as unknown as { __ready: string[] }).__ready.length >= 4, null, {
      timeout: 15_000,
    });
    const texts = await page.evaluate(() =>
      ['wk-login', 'wk-wallet-balance', 'wk-transactions', 'wk-transfer-form'].map(
        (tag) => document.querySelector(tag)?.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '',
      ),
    );
    expect(texts[0]).toContain('Simu au barua pepe');
    expect(texts[1]).toMatch(/Salio linalopatikana.*46,080\.00/);
    expect(texts[2]).toContain('Miamala');
    expect(texts[3]).toContain('Kagua uhamisho');
    // The widgets' styles apply (constructable stylesheets are allowed by style-src 'self').
    const radius = await page.evaluate(() => {
      const button = document.querySelector('wk-login')?.shadowRoot?.querySelector('button');
      return button ? getComputedStyle(button).borderTopLeftRadius : '';
    });
    expect(radius).toBe('8px');
    const violations = await page.evaluate(
      () => (window as unknown as { __violations: string[] }).__violations,
    );
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // Control: the listener does catch what the policy forbids (an inline style attribute).
    await page.evaluate(() => {
      const div = document.createElement('div');
      div.setAttribute('style', 'color: red');
      document.body.append(div);
    });
    await page.waitForFunction(
      () => (window as unknown as { __violations: string[] }).__violations.length > 0,
    );
    await page.close();
  });
});
