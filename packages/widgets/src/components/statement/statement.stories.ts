import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'account-id'?: string; from?: string; to?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-statement');

const meta = {
  title: 'Widgets/Statement',
  component: 'wk-statement',
  // The mock bank's history is January to April 2025.
  args: { from: '2025-01-01', to: '2025-04-30' },
  render: (args) =>
    html`<wk-statement
      account-id=${args['account-id'] ?? nothing}
      from=${args.from ?? nothing}
      to=${args.to ?? nothing}
    ></wk-statement>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

async function show(root: HTMLElement): Promise<void> {
  await storyReady(root);
  const statement = widget(root);
  await waitForText(statement, 'Show statement');
  await userEvent.click(shadowPart(statement, 'show-button'));
  await waitForText(statement, 'Closing balance');
}

/** Success: opening balance, each line with its running balance, closing balance. */
export const Shown: Story = {
  play: async ({ canvasElement }) => {
    await show(canvasElement);
    const statement = widget(canvasElement);
    await expect(deepText(shadowPart(statement, 'summary'))).toMatch(/Opening balance Ksh\s0\.00/);
    await expect(shadowPart(statement, 'table').querySelectorAll('tbody tr').length).toBe(24);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'account-select' },
      { press: 'Tab', focus: 'from-input' },
      { press: 'Tab', focus: 'to-input' },
      { press: 'Tab', focus: 'show-button' },
      { press: 'Enter', text: 'Closing balance' },
      { press: 'Tab', focus: 'csv-button' },
      { press: 'Enter', text: 'is ready' },
    ] satisfies KeyboardStep[],
  },
};

/** Download: the bank renders the CSV or PDF; the widget saves the file and says so. */
export const Download: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const statement = widget(canvasElement);
    await waitForText(statement, 'Show statement');
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    await userEvent.click(shadowPart(statement, 'pdf-button'));
    await waitForText(statement, /statement-.*\.pdf is ready/);
    await waitFor(() => expect(successes[0]).toMatchObject({ kind: 'statement-downloaded', format: 'pdf' }));
  },
};

/** Empty: a period without transactions still shows the balances. */
export const Empty: Story = {
  args: { from: '2024-06-01', to: '2024-06-30' },
  play: async ({ canvasElement }) => {
    await show(canvasElement);
    await waitForText(widget(canvasElement), 'No transactions in this period.');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading');
  },
};

/** Error: the statement fails with its request id to quote. */
export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /statement$/, status: 500, code: 'internal_error' }] } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const statement = widget(canvasElement);
    await waitForText(statement, 'Show statement');
    await userEvent.click(shadowPart(statement, 'show-button'));
    await waitForText(statement, /Something went wrong.*Reference: req_mock_/);
  },
};

/** Validation: the start after the end. */
export const Invalid: Story = {
  name: 'Validation errors',
  args: { from: '2025-04-30', to: '2025-01-01' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const statement = widget(canvasElement);
    await waitForText(statement, 'Show statement');
    await userEvent.click(shadowPart(statement, 'show-button'));
    await waitForText(statement, 'The start must be on or before the end.');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: async ({ canvasElement }) => {
    await show(canvasElement);
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const statement = widget(canvasElement);
    await waitForText(statement, 'Onyesha taarifa');
    await userEvent.click(shadowPart(statement, 'show-button'));
    await waitForText(statement, 'Salio la mwisho');
  },
};
