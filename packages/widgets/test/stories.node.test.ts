/**
 * Every Storybook story in real Chromium (Debian's, through playwright-core): build Storybook
 * static once, serve it, and for each story render it, run its `play` function, check axe
 * (WCAG 2.1 A/AA) finds nothing, save a screenshot under test-artifacts/stories/, check that Tab
 * reaches every control and Shift+Tab walks back the same way, and replay the story's keyboard-only
 * flow (`parameters.keyboard`) with real key presses.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyboardStep } from '../src/stories/support.ts';
import { chromiumLaunchOptions } from '../vitest.config.ts';

const packageRoot = join(import.meta.dirname, '..');
const artifacts = join(packageRoot, 'test-artifacts', 'stories');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(packageRoot, 'node_modules', '.bin', bin), args, {
      cwd: packageRoot,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

// Build once, before the tests are collected: the story list comes from the built index.
const staticDir = mkdtempSync(join(tmpdir(), 'wk-storybook-'));
const buildStarted = Date.now();
await run('cem', ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']);
await run('storybook', ['build', '--quiet', '--output-dir', staticDir]);
const buildMs = Date.now() - buildStarted;
const index = JSON.parse(readFileSync(join(staticDir, 'index.json'), 'utf8')) as {
  entries: Record<string, { id: string; type: string; title: string; name: string }>;
};
// WK_STORY_TITLES="Widgets/Credit limit,Widgets/Repayment" runs only those widgets' stories (a quick loop).
const onlyTitles = process.env.WK_STORY_TITLES?.split(',').map((title) => title.trim());
const stories = Object.values(index.entries).filter(
  (entry) => entry.type === 'story' && (onlyTitles === undefined || onlyTitles.includes(entry.title)),
);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

interface Rendered {
  status: string;
  errors: string[];
  a11y: string[];
  keyboard: KeyboardStep[] | undefined;
}

/** Renders a story through the preview's channel and waits for `storyFinished` (after `play`). */
function renderStory(id: string): Promise<Rendered> {
  return page.evaluate(
    (storyId) =>
      new Promise<Rendered>((resolve) => {
        type Channel = {
          on(event: string, listener: (payload: never) => void): void;
          off(event: string, listener: (payload: never) => void): void;
          emit(event: string, payload: unknown): void;
        };
        const channel = (window as unknown as { __STORYBOOK_ADDONS_CHANNEL__: Channel })
          .__STORYBOOK_ADDONS_CHANNEL__;
        const errors: string[] = [];
        let keyboard: KeyboardStep[] | undefined;
        const listeners: Record<string, (payload: never) => void> = {
          storyPrepared: (payload: { id: string; parameters: { keyboard?: KeyboardStep[] } }) => {
            if (payload.id === storyId) keyboard = payload.parameters.keyboard;
          },
          playFunctionThrewException: (error: { message?: string }) => {
            errors.push(`play: ${error.message ?? String(error)}`);
          },
          unhandledErrorsWhilePlaying: (list: { message?: string }[]) => {
            for (const error of list) errors.push(`unhandled: ${error.message}`);
          },
          storyThrewException: (error: { message?: string }) => {
            errors.push(`render: ${error.message ?? String(error)}`);
          },
          storyErrored: (error: { title?: string; description?: string }) => {
            finish('errored', [`${error.title}: ${error.description}`]);
          },
          storyMissing: () => finish('missing', ['story missing']),
          storyFinished: (payload: {
            storyId: string;
            status: string;
            reporters: { type: string; status: string; result?: { violations?: { id: string }[] } }[];
          }) => {
            if (payload.storyId !== storyId) return;
            const a11y = payload.reporters
              .filter((report) => report.type === 'a11y' && report.status === 'failed')
              .flatMap((report) => (report.result?.violations ?? []).map((v) => v.id));
            finish(payload.status, [], a11y);
          },
        };
        const finish = (status: string, more: string[], a11y: string[] = []) => {
          for (const [event, listener] of Object.entries(listeners)) channel.off(event, listener);
          resolve({ status, errors: [...errors, ...more], a11y, keyboard });
        };
        for (const [event, listener] of Object.entries(listeners)) channel.on(event, listener);
        channel.emit('setCurrentStory', { storyId, viewMode: 'story' });
      }),
    id,
  );
}

/** axe-core, WCAG 2.1 A and AA, over the story root: the violations with their targets. */
function axeViolations(): Promise<string[]> {
  return page.evaluate(async () => {
    type Axe = {
      run(
        context: Element,
        options: unknown,
      ): Promise<{ violations: { id: string; nodes: { target: unknown; failureSummary?: string }[] }[] }>;
    };
    const root = document.querySelector('#storybook-root') as Element;
    const result = await (window as unknown as { axe: Axe }).axe.run(root, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('; ')}`,
    );
  });
}

/**
 * Marks every control a keyboard user must reach inside the story (through shadow roots): enabled,
 * rendered, not `tabindex="-1"`. Answers their descriptions, in no particular order.
 */
function markTabbables(): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    let n = 0;
    const visit = (root: Element | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.shadowRoot) visit(element.shadowRoot);
        const html = element as HTMLElement;
        const focusable =
          element.matches('button, input, select, textarea, a[href], [tabindex]') &&
          html.tabIndex >= 0 &&
          !(element as HTMLButtonElement).disabled &&
          element.getClientRects().length > 0 &&
          getComputedStyle(element).visibility !== 'hidden';
        // A host that delegates focus is reached through its inner control.
        if (!focusable || element.shadowRoot?.delegatesFocus) continue;
        const label = `${element.localName}[part=${element.getAttribute('part') ?? ''}]#${n++}`;
        html.dataset.kb = label;
        found.push(label);
      }
    };
    visit(document.querySelector('#storybook-root') as Element);
    return found;
  });
}

/** The focused element through shadow roots: its `data-kb` mark, `part` and tag. */
function focused(): Promise<{ kb: string | undefined; part: string; tag: string; inStory: boolean }> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    const root = document.querySelector('#storybook-root') as Element;
    let inStory = false;
    for (let node: Node | null = active; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
      if (node === root) inStory = true;
    }
    return {
      kb: (active as HTMLElement | null)?.dataset?.kb,
      part: active?.getAttribute('part') ?? '',
      tag: active?.localName ?? '',
      inStory,
    };
  });
}

/** Puts the focus on a button just before the story, so the next Tab enters the story at its start. */
async function resetFocus(): Promise<void> {
  await page.evaluate(() => {
    let start = document.getElementById('kb-start');
    if (!start) {
      start = document.createElement('button');
      start.id = 'kb-start';
      start.textContent = 'keyboard start';
      start.style.cssText = 'position: absolute; inset-inline-start: -9999px';
      document.body.prepend(start);
    }
    start.focus();
  });
}

function storyText(): Promise<string> {
  return page.evaluate(() => {
    const walk = (node: Node): string => {
      let text = '';
      if (node instanceof Element && node.shadowRoot) text += walk(node.shadowRoot);
      for (const child of node.childNodes) text += child.nodeType === 3 ? child.textContent : walk(child);
      return text;
    };
    return walk(document.querySelector('#storybook-root') as Element).replace(/\s+/g, ' ');
  });
}

function valueOfPart(part: string): Promise<string | undefined> {
  return page.evaluate((name) => {
    const find = (root: Element | ShadowRoot): Element | undefined => {
      for (const element of root.querySelectorAll('*')) {
        if (element.getAttribute('part')?.split(' ').includes(name)) return element;
        const inner = element.shadowRoot && find(element.shadowRoot);
        if (inner) return inner;
      }
      return undefined;
    };
    return (find(document.querySelector('#storybook-root') as Element) as HTMLInputElement | undefined)
      ?.value;
  }, part);
}

/** Tab from the top reaches every control once; Shift+Tab walks back in exactly the reverse order. */
async function checkTabOrder(): Promise<void> {
  const tabbables = await markTabbables();
  await resetFocus();
  const forward: string[] = [];
  for (let i = 0; i <= tabbables.length; i++) {
    await page.keyboard.press('Tab');
    const now = await focused();
    if (!now.inStory || now.kb === undefined || forward.includes(now.kb)) break;
    forward.push(now.kb);
  }
  expect([...forward].sort(), 'Tab reaches every control').toEqual([...tabbables].sort());
  if (forward.length < 2) return;
  // From the last control (focused again, wherever the last Tab left the focus), walk back.
  const last = forward.at(-1) as string;
  await page.evaluate((mark) => {
    const find = (root: Element | ShadowRoot): HTMLElement | undefined => {
      for (const element of root.querySelectorAll('*')) {
        if ((element as HTMLElement).dataset.kb === mark) return element as HTMLElement;
        const inner = element.shadowRoot && find(element.shadowRoot);
        if (inner) return inner;
      }
      return undefined;
    };
    find(document.querySelector('#storybook-root') as Element)?.focus();
  }, last);
  const backward = [(await focused()).kb ?? '(outside)'];
  for (let i = 1; i < forward.length; i++) {
    await page.keyboard.press('Shift+Tab');
    backward.push((await focused()).kb ?? '(outside)');
  }
  expect(backward, 'Shift+Tab walks back').toEqual([...forward].reverse());
}

/** Replays a keyboard-only flow and checks focus, text and values after each step. */
async function runKeyboardFlow(steps: KeyboardStep[]): Promise<void> {
  await resetFocus();
  for (const [i, step] of steps.entries()) {
    const where = `keyboard step ${i + 1} ${JSON.stringify(step)}`;
    if (step.press !== undefined) await page.keyboard.press(step.press);
    if (step.type !== undefined) await page.keyboard.type(step.type);
    if (step.text !== undefined) {
      const text = step.text.replace(/\s+/g, ' ');
      await expect.poll(storyText, { message: where, timeout: 5000 }).toContain(text);
    }
    if (step.focus !== undefined) {
      const wanted = step.focus;
      await expect
        .poll(
          async () => {
            const now = await focused();
            return now.part.split(' ').includes(wanted) || now.tag === wanted
              ? wanted
              : `${now.tag}[${now.part}]`;
          },
          { message: where, timeout: 3000 },
        )
        .toBe(wanted);
    }
    if (step.inputValue !== undefined) {
      const { part, value } = step.inputValue;
      await expect.poll(() => valueOfPart(part), { message: where, timeout: 3000 }).toBe(value);
    }
  }
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (path.includes('..')) return void response.writeHead(400).end();
    try {
      const body = await readFile(join(staticDir, path === '/' ? 'index.html' : path));
      response
        .writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
  page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/iframe.html?viewMode=story`);
  await page.waitForFunction(
    () =>
      (window as unknown as { __STORYBOOK_PREVIEW__?: { storyStoreValue?: unknown } }).__STORYBOOK_PREVIEW__
        ?.storyStoreValue !== undefined,
  );
  await page.addScriptTag({ content: axeSource });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(staticDir, { recursive: true, force: true });
});

describe(`Storybook stories in Chromium (${stories.length} stories, static build ${buildMs} ms)`, () => {
  it('every widget has stories for loading, error, success, dark and Swahili', () => {
    for (const title of new Set(stories.map((s) => s.title))) {
      const names = stories.filter((s) => s.title === title).map((s) => s.name);
      if (title === 'Widgets/Provider') continue;
      expect(names, title).toEqual(expect.arrayContaining(['Dark', 'Swahili', 'Error']));
    }
  });

  for (const story of stories) {
    it(`${story.title} / ${story.name}: play, axe, screenshot, keyboard`, async () => {
      pageErrors.length = 0;
      const rendered = await renderStory(story.id);
      expect(rendered.errors, 'render and play').toEqual([]);
      expect(rendered.a11y, 'a11y addon').toEqual([]);
      expect(rendered.status).toBe('success');
      // Whatever the play function did, the widgets are in place and rendered.
      await page.waitForFunction(
        () => (document.querySelector('#storybook-root wk-provider')?.children.length ?? 0) > 0,
      );

      expect(await axeViolations(), 'axe WCAG 2.1 AA').toEqual([]);
      await page
        .locator('#storybook-root .wk-story')
        .screenshot({ path: join(artifacts, `${story.id}.png`) });

      await checkTabOrder();
      if (rendered.keyboard) await runKeyboardFlow(rendered.keyboard);
      expect(pageErrors).toEqual([]);
    });
  }
});
