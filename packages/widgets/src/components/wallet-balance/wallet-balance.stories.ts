import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'account-id'?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-wallet-balance');

const meta = {
  title: 'Widgets/Wallet balance',
  component: 'wk-wallet-balance',
  render: (args) => html`<wk-wallet-balance account-id=${args['account-id'] ?? nothing}></wk-wallet-balance>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Success: the available and ledger balance of the customer's wallet. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Available balance');
    await expect(deepText(shadowPart(widget(canvasElement), 'available'))).toMatch(/46,080\.00/);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'refresh-button' },
      { press: 'Enter', text: 'Balance updated.' },
      { press: 'Space', focus: 'refresh-button' },
    ] satisfies KeyboardStep[],
  },
};

/** While the bank answers, a skeleton with a hidden "Loading balance…" status; refresh is disabled. */
export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitFor(() => shadowPart(widget(canvasElement), 'skeleton'));
    await expect(shadowPart(widget(canvasElement), 'base').getAttribute('aria-busy')).toBe('true');
  },
};

/** Error: the first request fails with a 500; the message carries the request id, and Retry recovers. */
export const ServerError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/accounts/, status: 500, code: 'internal_error', times: 1 }] },
    keyboard: [
      { press: 'Tab', focus: 'refresh-button' },
      { press: 'Enter', text: 'Available balance' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
    await expect(deepText(widget(canvasElement))).toMatch(/Reference: req_mock_/);
  },
};

/** Empty: the customer has no wallet. */
export const NoWallet: Story = {
  name: 'Empty (no wallet)',
  parameters: {
    mock: {
      fixtures: (fixtures) => {
        fixtures.accounts = fixtures.accounts.filter((a) => a.type !== 'wallet');
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'No wallet account was found.');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Loaded.play,
};

/** Swahili, with amounts through `Intl` (`sw-KE`). */
export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Salio linalopatikana');
  },
};

/** Interaction: Refresh announces the update in a polite live region. */
export const Refresh: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const balance = widget(canvasElement);
    await waitForText(balance, 'Available balance');
    await userEvent.click(shadowPart(balance, 'refresh-button'));
    await waitFor(() => expect(deepText(shadowPart(balance, 'status'))).toBe('Balance updated.'));
  },
};
