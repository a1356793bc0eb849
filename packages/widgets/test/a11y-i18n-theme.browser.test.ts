import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { WkTransferForm } from '../src/components/transfer-form/transfer-form.ts';
import { WkTransferForm as ReactTransferForm, WkProvider, WkWalletBalance } from '../src/react/index.ts';
import {
  axeViolations,
  cleanup,
  mounted,
  mountInProvider,
  part,
  shoot,
  textOf,
  waitForText,
} from './helpers.ts';

afterEach(cleanup);

const WIDGETS: [string, RegExp][] = [
  ['<wk-login></wk-login>', /Sign in|Ingia/],
  ['<wk-wallet-balance></wk-wallet-balance>', /Available balance|Salio linalopatikana/],
  ['<wk-transactions></wk-transactions>', /transactions shown|inaonyeshwa/],
  ['<wk-transfer-form></wk-transfer-form>', /Review transfer|Kagua uhamisho/],
];

describe('accessibility (axe-core, WCAG 2.1 A + AA)', () => {
  for (const dark of [false, true]) {
    for (const [markup, ready] of WIDGETS) {
      it(`${markup} in ${dark ? 'dark' : 'light'} mode has no violations`, async () => {
        const { host } = await mountInProvider(markup, { dark });
        const widget = host.querySelector('wk-provider')!.firstElementChild!;
        await waitForText(widget, ready);
        expect(await axeViolations(widget)).toEqual([]);
        await shoot(widget, `${widget.localName}-${dark ? 'dark' : 'light'}`);
      });
    }

    it(`<wk-transfer-form> review and error steps in ${dark ? 'dark' : 'light'} mode have no violations`, async () => {
      const { host } = await mountInProvider('<wk-transfer-form></wk-transfer-form>', { dark });
      const form = host.querySelector('wk-transfer-form') as WkTransferForm;
      await waitForText(form, /Review transfer/);
      part(form, 'review-button').click();
      await waitForText(form, /Enter an amount/);
      expect(await axeViolations(form)).toEqual([]);
      const input = part(form, 'amount-input').shadowRoot!.querySelector('input')!;
      input.value = '250';
      input.dispatchEvent(new Event('input'));
      await form.updateComplete;
      part(form, 'review-button').click();
      await waitForText(form, /Check the details/);
      expect(await axeViolations(form)).toEqual([]);
      await shoot(form, `wk-transfer-form-review-${dark ? 'dark' : 'light'}`);
    });
  }
});

describe('i18n', () => {
  it('when the provider switches en → sw at run time, then every widget re-renders in Swahili', async () => {
    const { host, provider } = await mountInProvider(WIDGETS.map(([markup]) => markup).join(''));
    const [login, balance, transactions, transfer] = [...provider.children];
    await waitForText(balance!, /Available balance/);
    await waitForText(transactions!, /transactions shown/);
    await waitForText(transfer!, /Review transfer/);
    provider.locale = 'sw';
    await waitForText(login!, /Simu au barua pepe/);
    await waitForText(balance!, /Salio linalopatikana/);
    await waitForText(transactions!, /Miamala \d+ inaonyeshwa/);
    await waitForText(transfer!, /Kagua uhamisho/);
    expect(textOf(balance!)).toMatch(/Ksh\s46,080\.00/);
    await shoot(host, 'all-widgets-sw');
  });
});

describe('theming', () => {
  it('when appearance variables are set, then the --wk-* properties reach the parts; dark scheme applies', async () => {
    const { host, provider } = await mountInProvider('<wk-login></wk-login>');
    const login = host.querySelector('wk-login')!;
    await waitForText(login, /Sign in/);
    provider.appearance = { variables: { colorPrimary: 'rgb(200, 0, 100)', borderRadius: '2px' } };
    await provider.updateComplete;
    const button = part(login, 'submit-button');
    expect(getComputedStyle(button).backgroundColor).toBe('rgb(200, 0, 100)');
    expect(getComputedStyle(button).borderTopLeftRadius).toBe('2px');
    // A hostile value is ignored rather than injected.
    provider.appearance = { variables: { colorPrimary: 'red; } :host { display: none' } };
    await provider.updateComplete;
    expect(getComputedStyle(button).backgroundColor).toBe('rgb(11, 110, 79)');
    provider.appearance = { colorScheme: 'dark' };
    await provider.updateComplete;
    expect(getComputedStyle(part(login, 'base')).backgroundColor).toBe('rgb(17, 24, 39)');
    expect(login.shadowRoot!.querySelector('[style]')).toBeNull();
  });

  it('every widget exposes ::part for styling from outside', async () => {
    const style = document.createElement('style');
    style.textContent = 'wk-wallet-balance::part(available) { color: rgb(1, 2, 3); }';
    document.head.append(style);
    try {
      const { host } = await mountInProvider('<wk-wallet-balance></wk-wallet-balance>');
      const widget = host.querySelector('wk-wallet-balance')!;
      await waitForText(widget, /Available balance/);
      expect(getComputedStyle(part(widget, 'available')).color).toBe('rgb(1, 2, 3)');
    } finally {
      style.remove();
    }
  });
});

describe('React wrapper (@wekeza/widgets/react)', () => {
  it('renders the provider and widgets with react-dom and maps wk-* events to onWk* props', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    mounted.push(container);
    const ready: string[] = [];
    const root = createRoot(container);
    root.render(
      createElement(
        WkProvider,
        { mode: 'mock', locale: 'sw', appearance: { colorScheme: 'light' } },
        createElement(WkWalletBalance, { onWkReady: (event) => ready.push(event.detail.widget) }),
        createElement(ReactTransferForm, { onWkReady: (event) => ready.push(event.detail.widget) }),
      ),
    );
    await expect.poll(() => [...ready].sort()).toEqual(['wk-transfer-form', 'wk-wallet-balance']);
    const balance = container.querySelector('wk-wallet-balance')!;
    await waitForText(balance, /Salio linalopatikana/);
    root.unmount();
  });
});
