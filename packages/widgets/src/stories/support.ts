/**
 * Shared by the stories (not part of the published bundle): every story renders inside
 * `<wk-provider mode="mock">` over a fresh in-memory `MockBank`, set up from the story's
 * `parameters.mock` (latency, injected failures, fixtures), in the locale and colour scheme of
 * its `locale` and `colorScheme` args. `parameters.keyboard` describes a keyboard-only flow that
 * `test/stories.node.test.ts` replays with real key presses in Chromium.
 */
import type { Decorator } from '@storybook/web-components-vite';
import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { Appearance } from '../core/appearance.ts';
import { defaultFixtures, MockBank, type MockFailure, type MockFixtures } from '../mock/index.ts';

export interface MockSetup {
  /** Delay of every answer in ms (a large value keeps the loading state on screen). */
  latencyMs?: number;
  /** Failures the bank answers with (see `MockBank.fail`). */
  failures?: MockFailure[];
  /** Changes to the built-in fixtures (e.g. no transactions for the empty state). */
  fixtures?: (fixtures: MockFixtures) => void;
  /** How long mock M-Pesa / RTGS take to answer a deposit or withdrawal, in ms (default 1500). */
  railDelayMs?: number;
  /** Anything else on the bank before the story renders (e.g. `bank.save.seedFixedDeposit(…)`). */
  bank?: (bank: MockBank) => void;
}

/** One step of a keyboard-only flow: a key press or typed text, then what must hold. */
export interface KeyboardStep {
  /** A Playwright key, e.g. `Tab`, `Shift+Tab`, `Enter`, `Space`. */
  press?: string;
  /** Text typed key by key. */
  type?: string;
  /** The `part` (or tag name) of the element that must have focus afterwards. */
  focus?: string;
  /** Text that must appear in the story afterwards. */
  text?: string;
  /** The first element with this `part` (through shadow roots) must have this value afterwards. */
  inputValue?: { part: string; value: string };
}

export interface StoryArgs {
  locale: 'en' | 'sw';
  colorScheme: 'light' | 'dark';
}

/** Story args that belong to the story frame (provider), not to the widget. */
export const frameArgTypes = {
  locale: {
    control: 'inline-radio',
    options: ['en', 'sw'],
    description: "The provider's language (`<wk-provider locale>`).",
    table: { category: 'story' },
  },
  colorScheme: {
    control: 'inline-radio',
    options: ['light', 'dark'],
    description: '`appearance.colorScheme` of the provider.',
    table: { category: 'story' },
  },
} as const;

export const frameArgs: StoryArgs = { locale: 'en', colorScheme: 'light' };

/** The bank behind one story render. */
export function mockBankFor(setup: MockSetup | undefined): MockBank {
  const fixtures = defaultFixtures();
  setup?.fixtures?.(fixtures);
  const bank = new MockBank({
    fixtures,
    latencyMs: setup?.latencyMs ?? 0,
    ...(setup?.railDelayMs !== undefined ? { railDelayMs: setup.railDelayMs } : {}),
  });
  for (const failure of setup?.failures ?? []) bank.fail(failure);
  setup?.bank?.(bank);
  return bank;
}

/** Wraps every story in `<wk-provider mode="mock">` (registered in `.storybook/preview.ts`). */
export const withMockProvider: Decorator = (story, context) => {
  const args = context.args as Partial<StoryArgs>;
  const scheme = args.colorScheme === 'dark' ? 'dark' : 'light';
  const appearance: Appearance = { colorScheme: scheme };
  const bank = mockBankFor(context.parameters.mock as MockSetup | undefined);
  // Keyed by story: Lit would otherwise reuse the previous story's elements (and their state).
  return html`${keyed(
    context.id,
    html`<div class="wk-story" data-scheme=${scheme}>
      <wk-provider
        mode="mock"
        locale=${args.locale ?? 'en'}
        .mockBank=${bank}
        .appearance=${appearance}
      >
        ${story()}
      </wk-provider>
    </div>`,
  )}`;
};

/** Shadow-DOM aware lookups for `play` functions. */
export function shadowPart<T extends Element = HTMLElement>(host: Element | null, name: string): T {
  const found = host?.shadowRoot?.querySelector(`[part~="${name}"]`);
  if (!found) throw new Error(`<${host?.localName}> has no part "${name}"`);
  return found as T;
}

/** The visible text of an element, through shadow roots. */
export function deepText(element: Element | null): string {
  const walk = (node: Node): string => {
    let text = '';
    if (node instanceof Element && node.shadowRoot) text += walk(node.shadowRoot);
    for (const child of node.childNodes) {
      text += child.nodeType === Node.TEXT_NODE ? child.textContent : walk(child);
    }
    return text;
  };
  return element ? walk(element).replace(/\s+/g, ' ').trim() : '';
}

/** Waits until `element`'s text (through shadow roots) matches. */
export async function waitForText(
  element: Element | null,
  text: string | RegExp,
  timeout = 5000,
): Promise<void> {
  const start = Date.now();
  const matches = () =>
    typeof text === 'string' ? deepText(element).includes(text) : text.test(deepText(element));
  while (!matches()) {
    if (Date.now() - start > timeout) {
      throw new Error(
        `Timed out waiting for ${String(text)} in <${element?.localName}>: "${deepText(element)}"`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the story's widgets are in the provider and have rendered (call first in `play`). */
export async function storyReady(root: HTMLElement, timeout = 5000): Promise<void> {
  const start = Date.now();
  while ((root.querySelector('wk-provider')?.children.length ?? 0) === 0) {
    if (Date.now() - start > timeout) throw new Error('The story did not render its widgets');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const widgets = [...(root.querySelector('wk-provider')?.children ?? [])];
  await Promise.all(widgets.map((w) => (w as Partial<{ updateComplete: Promise<unknown> }>).updateComplete));
}
