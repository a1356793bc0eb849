import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'page-size': number; 'account-id'?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-transactions');
const rows = (root: HTMLElement) => widget(root)?.shadowRoot?.querySelectorAll('[part~="row"]').length ?? 0;

const meta = {
  title: 'Widgets/Transactions',
  component: 'wk-transactions',
  args: { 'page-size': 5 },
  render: (args) =>
    html`<wk-transactions page-size=${args['page-size']} account-id=${args['account-id'] ?? nothing}></wk-transactions>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Success: the newest page with the running balance after each line. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), '5 transactions shown.');
    await expect(rows(canvasElement)).toBe(5);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'load-more-button' },
      { press: 'Enter', text: '10 transactions shown.' },
      { press: 'Space', text: '15 transactions shown.' },
    ] satisfies KeyboardStep[],
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitFor(() => shadowPart(widget(canvasElement), 'skeleton'));
  },
};

/** Empty: an account without a single transaction. */
export const Empty: Story = {
  parameters: {
    mock: {
      fixtures: (fixtures) => {
        fixtures.transactions = [];
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'No transactions yet.');
  },
};

/** Error: the first page fails (network); Retry loads it. */
export const NetworkError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /\/transactions$/, network: true, times: 1 }] } satisfies MockSetup,
    keyboard: [
      { press: 'Tab', focus: 'retry-button' },
      { press: 'Enter', text: '5 transactions shown.' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'We could not reach the bank');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Loaded.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Miamala');
    await waitFor(() => expect(rows(canvasElement)).toBe(5));
  },
};

/** Interaction: "Load more" appends the next page. */
export const LoadMore: Story = {
  name: 'Load more',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), '5 transactions shown.');
    await userEvent.click(shadowPart(widget(canvasElement), 'load-more-button'));
    await waitForText(widget(canvasElement), '10 transactions shown.');
    await expect(rows(canvasElement)).toBe(10);
  },
};
