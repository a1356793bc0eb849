import axe from 'axe-core';
import { expect } from 'vitest';
import { page } from 'vitest/browser';
import type { WkProvider } from '../src/components/provider/provider.ts';
import '../src/define/all.ts';
import { MockBank, type MockBankOptions } from '../src/mock/index.ts';

export const mounted: HTMLElement[] = [];

/** Mounts `<wk-provider mode="mock">` around `inner` with a fresh (or given) in-memory bank. */
export async function mountInProvider(
  inner: string,
  options: { bank?: MockBank; bankOptions?: MockBankOptions; locale?: 'en' | 'sw'; dark?: boolean } = {},
): Promise<{ provider: WkProvider; bank: MockBank; host: HTMLElement }> {
  const host = document.createElement('div');
  host.innerHTML = `<button id="start" type="button">start</button><wk-provider mode="mock" locale="${options.locale ?? 'en'}">${inner}</wk-provider>`;
  document.body.append(host);
  mounted.push(host);
  const provider = host.querySelector('wk-provider')!;
  const bank = options.bank ?? new MockBank(options.bankOptions);
  provider.mockBank = bank;
  if (options.dark) provider.appearance = { colorScheme: 'dark' };
  await provider.updateComplete;
  return { provider, bank, host };
}

export function cleanup(): void {
  for (const host of mounted.splice(0)) host.remove();
}

/** The visible text of an element's shadow root (and nested shadow roots). */
export function textOf(element: Element): string {
  const walk = (node: Node): string => {
    let text = '';
    if (node instanceof Element && node.shadowRoot) text += walk(node.shadowRoot);
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text += child.textContent;
      else text += walk(child);
    }
    return text;
  };
  return walk(element).replace(/\s+/g, ' ').trim();
}

export function part<T extends Element = HTMLElement>(element: Element, name: string): T {
  const found = element.shadowRoot?.querySelector(`[part~="${name}"]`);
  if (!found) throw new Error(`<${element.localName}> has no part "${name}"`);
  return found as T;
}

export function maybePart(element: Element, name: string): Element | null {
  return element.shadowRoot?.querySelector(`[part~="${name}"]`) ?? null;
}

/** The focused element, through shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export async function waitForText(element: Element, text: string | RegExp): Promise<void> {
  await expect.poll(() => textOf(element), { timeout: 5000 }).toMatch(text);
}

/** axe-core with the WCAG 2.1 A and AA rules; answers the violations (ids and targets). */
export async function axeViolations(element: Element): Promise<string[]> {
  const result = await axe.run(element, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  });
  return result.violations.map(
    (v) =>
      `${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('; ')}`,
  );
}

/** Saves a screenshot of `element` under packages/widgets/test-artifacts/. */
export async function shoot(element: Element, name: string): Promise<void> {
  await page.screenshot({ element, path: `../test-artifacts/${name}.png` });
}
