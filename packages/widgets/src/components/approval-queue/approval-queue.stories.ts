import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { status?: string };
const widget = (root: HTMLElement) => root.querySelector('wk-approval-queue');
const items = (root: HTMLElement) => [
  ...(widget(root)?.shadowRoot?.querySelectorAll('[part~="item"]') ?? []),
];

const meta = {
  title: 'Staff/Approval queue',
  component: 'wk-approval-queue',
  render: (args) => html`<wk-approval-queue status=${args.status ?? 'pending'}></wk-approval-queue>`,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<Args>;

async function decide(
  root: HTMLElement,
  index: number,
  reason: string,
  button: 'approve-button' | 'reject-button',
) {
  const item = items(root)[index] as HTMLElement;
  const input = item.querySelector('textarea') as HTMLTextAreaElement;
  input.value = reason;
  input.dispatchEvent(new Event('input'));
  await widget(root)?.updateComplete;
  (item.querySelector(`[part~="${button}"]`) as HTMLButtonElement).click();
}

/** Two requests wait: one from another banker, one of your own. */
export const Pending: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Salary inflows verified');
    await expect(items(canvasElement).length).toBe(2);
  },
  parameters: {
    keyboard: [
      { press: 'Tab' },
      { press: 'Tab' },
      { type: 'Checked the payslips.' },
      { press: 'Tab', focus: 'approve-button' },
      { press: 'Enter', text: 'apr_01MOCKOTHER approved and carried out.' },
    ] satisfies KeyboardStep[],
  },
};

/** Approving someone else's request carries it out and takes it off the queue. */
export const Approved: Story = {
  name: 'Success (approved)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Salary inflows verified');
    await decide(canvasElement, 0, 'Checked the payslips.', 'approve-button');
    await waitForText(widget(canvasElement), 'apr_01MOCKOTHER approved and carried out.');
    await expect(items(canvasElement).length).toBe(1);
  },
};

/** Your own request: the bank refuses (403) and the widget says another person must decide. */
export const OwnRequest: Story = {
  name: 'Error (own request)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Long-standing customer');
    await decide(canvasElement, 1, 'Approving my own.', 'approve-button');
    await waitForText(widget(canvasElement), 'You cannot decide your own request');
  },
};

/** A decision needs a reason. */
export const ReasonRequired: Story = {
  name: 'Invalid (no reason)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Salary inflows verified');
    await decide(canvasElement, 0, '', 'reject-button');
    await waitForText(widget(canvasElement), 'Give a reason of at least 3 characters.');
  },
};

export const Empty: Story = {
  args: { status: 'rejected' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Nothing is waiting for a decision.');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading…');
  },
};

export const ServerError: Story = {
  name: 'Error',
  parameters: {
    mock: {
      failures: [{ path: /^\/v1\/approvals/, status: 500, code: 'internal_error', times: 1 }],
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
    await expect(deepText(widget(canvasElement))).toMatch(/Try again/);
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Idhini zinazosubiri');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Pending.play };
