import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkStatusDetail, WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { phone?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-deposit');

/**
 * Mock mode plays M-Pesa like the sandbox simulator: the deposit is `pending` until the "phone"
 * answers a moment later (`parameters.mock.railDelayMs`), asynchronously, over the event stream.
 * Phones ending `1032` cancel; ending `1037` never answer.
 */
const meta = {
  title: 'Widgets/Deposit',
  component: 'wk-deposit',
  render: (args) => html`<wk-deposit phone=${args.phone ?? nothing}></wk-deposit>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Types the phone and amount and sends, as a customer would. */
async function send(root: HTMLElement, phone: string, amount: string): Promise<void> {
  const form = widget(root);
  await waitForText(form, 'Send request to phone');
  await userEvent.type(shadowPart(form, 'phone-input'), phone);
  await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), amount);
  await userEvent.click(shadowPart(form, 'submit-button'));
}

/** Idle: the phone and the amount in whole shillings. */
export const Idle: Story = {
  args: { phone: '0712 345 678' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Send request to phone');
  },
  parameters: {
    mock: { railDelayMs: 800 } satisfies MockSetup,
    // The whole flow by keyboard alone: Tab to the amount, Enter sends, the heading takes focus
    // at each step, and the money arrives.
    keyboard: [
      { press: 'Tab', focus: 'phone-input' },
      { press: 'Tab', focus: 'input' },
      { type: '1500' },
      { press: 'Enter', text: 'Check your phone', focus: 'heading' },
      { text: 'added to your wallet', focus: 'heading' },
      { press: 'Tab', focus: 'again-button' },
      { press: 'Enter', focus: 'phone-input' },
    ] satisfies KeyboardStep[],
  },
};

/** Waiting for the phone: the STK push is out, the status stays pending (a phone that never answers). */
export const WaitingForPhone: Story = {
  name: 'Waiting for phone',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await send(canvasElement, '0700001037', '2500');
    await waitForText(widget(canvasElement), /Check your phone: enter your M-Pesa PIN to pay Ksh\s2,500\.00/);
    await expect(shadowPart(widget(canvasElement), 'live-status').dataset.status).toBe('pending');
  },
};

/** Succeeded: the payer entered the PIN; the receipt is shown and `wk-success` fired. */
export const Succeeded: Story = {
  parameters: { mock: { railDelayMs: 300 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const successes: WkSuccessDetail[] = [];
    const statuses: WkStatusDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    canvasElement.addEventListener('wk-status', (event) => statuses.push(event.detail));
    await send(canvasElement, '0712345678', '1500');
    await waitForText(widget(canvasElement), /Ksh\s1,500\.00 added to your wallet\. M-Pesa receipt TK/);
    await waitFor(() => expect(successes).toHaveLength(1));
    await expect(statuses.map((s) => s.status)).toEqual(['pending', 'succeeded']);
  },
};

/** Failed: the payer cancelled on the phone (a phone ending 1032). */
export const Cancelled: Story = {
  name: 'Failed (cancelled)',
  parameters: { mock: { railDelayMs: 300 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await send(canvasElement, '0700001032', '300');
    await waitForText(widget(canvasElement), 'The request was cancelled on the phone.');
    await expect(shadowPart(widget(canvasElement), 'live-status').dataset.status).toBe('failed');
  },
};

/** Error: the bank cannot be reached; nothing was started, the form says so (role=alert). */
export const SendError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ method: 'POST', path: /^\/v1\/deposits$/, network: true }] } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await send(canvasElement, '0712345678', '100');
    await waitForText(widget(canvasElement), 'We could not reach the bank.');
    await expect(shadowPart(widget(canvasElement), 'error').getAttribute('role')).toBe('alert');
  },
};

/** Validation: cents are refused before anything is sent (M-Pesa moves whole shillings). */
export const Invalid: Story = {
  name: 'Validation errors',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await send(canvasElement, '12345', '99.50');
    await waitForText(widget(canvasElement), 'M-Pesa moves whole shillings only');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Idle.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Tuma ombi kwa simu');
  },
};

/** Waiting for the phone, in Swahili and dark. */
export const SwahiliDarkWaiting: Story = {
  name: 'Waiting (Swahili, dark)',
  args: { locale: 'sw', colorScheme: 'dark' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Tuma ombi kwa simu');
    await userEvent.type(shadowPart(form, 'phone-input'), '0700001037');
    await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), '750');
    await userEvent.click(shadowPart(form, 'submit-button'));
    await waitForText(form, 'Angalia simu yako');
  },
};
