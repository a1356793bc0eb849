import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { query?: string };
const widget = (root: HTMLElement) => root.querySelector('wk-customer-search');

const meta = {
  title: 'Staff/Customer search',
  component: 'wk-customer-search',
  render: (args) => html`<wk-customer-search query=${args.query ?? nothing}></wk-customer-search>`,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<Args>;

/** Idle: the search box, waiting for a name, phone, national ID, account or loan. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Find a customer');
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'search-input' },
      { type: 'Wanj' },
      { press: 'Enter', text: 'Wanjiru Kamau' },
    ] satisfies KeyboardStep[],
  },
};

/** Results: a query given as an attribute is searched at once; each result opens the 360. */
export const Results: Story = {
  args: { query: 'example.test' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Brian Otieno');
    await expect(deepText(shadowPart(widget(canvasElement), 'status'))).toMatch(/3 customers found/);
    let chosen = '';
    canvasElement.addEventListener('wk-select', (e) => {
      chosen = e.detail.id;
    });
    shadowPart(widget(canvasElement), 'result').click();
    await expect(chosen).toBe('cus_01MOCKWANJIRU');
  },
};

/** Empty: nobody matches. */
export const NoMatch: Story = {
  name: 'Empty (no match)',
  args: { query: 'Zawadi' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'No customer matches');
  },
};

/** Error: the bank refuses (here a 500); the message is localized. */
export const ServerError: Story = {
  name: 'Error',
  args: { query: 'Wanjiru' },
  parameters: {
    mock: {
      failures: [{ path: /^\/v1\/customers/, status: 500, code: 'internal_error' }],
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

/** Searching: the bank is slow. */
export const Searching: Story = {
  args: { query: 'Wanjiru' },
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Searching…');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw', query: 'Brian' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Tafuta mteja');
    await waitForText(widget(canvasElement), 'Brian Otieno');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark', query: 'Wanjiru' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Wanjiru Kamau');
  },
};
