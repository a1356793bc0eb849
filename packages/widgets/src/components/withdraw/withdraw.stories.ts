import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkStepUpRequiredDetail } from '../../core/events.ts';
import { MOCK_WALLET_ID } from '../../mock/fixtures.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { rail?: 'mpesa' | 'rtgs'; phone?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-withdraw');

/** A wallet rich enough for the step-up amount (above KES 100,000 mock mode wants the code 123456). */
const rich: MockSetup['fixtures'] = (fixtures) => {
  const wallet = fixtures.accounts.find((a) => a.id === MOCK_WALLET_ID);
  if (wallet) wallet.ledgerMinor = 50_000_000n;
};

/**
 * Mock mode holds the money at once and pays it out a moment later (`parameters.mock.railDelayMs`),
 * asynchronously, over the event stream. Phones (or account numbers) ending `1032` fail; `1037`
 * never answer.
 */
const meta = {
  title: 'Widgets/Withdraw',
  component: 'wk-withdraw',
  render: (args) =>
    html`<wk-withdraw rail=${args.rail ?? nothing} phone=${args.phone ?? nothing}></wk-withdraw>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

async function sendToPhone(root: HTMLElement, phone: string, amount: string): Promise<void> {
  const form = widget(root);
  await waitForText(form, 'Send to');
  await userEvent.type(shadowPart(form, 'phone-input'), phone);
  await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), amount);
  await userEvent.click(shadowPart(form, 'submit-button'));
}

/** Idle: to an M-Pesa phone (the default) or a bank account. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'M-Pesa phone number');
  },
  parameters: {
    mock: { railDelayMs: 800 } satisfies MockSetup,
    // By keyboard alone: the rail choice, the phone, the amount, Enter; the heading takes focus as
    // the withdrawal is held, then paid.
    keyboard: [
      { press: 'Tab', focus: 'rail-select' },
      { press: 'Tab', focus: 'phone-input' },
      { type: '0722000111' },
      { press: 'Tab', focus: 'input' },
      { type: '1000' },
      { press: 'Enter', text: 'is held from your wallet', focus: 'heading' },
      { text: 'sent to 254722000111', focus: 'heading' },
      { press: 'Tab', focus: 'again-button' },
      { press: 'Enter', text: 'M-Pesa phone number' },
    ] satisfies KeyboardStep[],
  },
};

/** To a bank account over RTGS: bank code, account number and name. */
export const BankAccount: Story = {
  name: 'Bank account (RTGS)',
  args: { rail: 'rtgs' },
  parameters: { mock: { railDelayMs: 300 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Bank code (BIC)');
    await userEvent.type(shadowPart(form, 'bank-code-input'), 'KCBLKENX');
    await userEvent.type(shadowPart(form, 'account-number-input'), '1100223344');
    await userEvent.type(shadowPart(form, 'account-name-input'), 'Amina Odhiambo');
    await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), '2500.50');
    await userEvent.click(shadowPart(form, 'submit-button'));
    await waitForText(form, 'sent to Amina Odhiambo (1100223344)');
  },
};

/** Pending: the money is held, the payout not yet confirmed (a phone that never answers). */
export const Held: Story = {
  name: 'Held (pending)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await sendToPhone(canvasElement, '0700001037', '1200');
    await waitForText(widget(canvasElement), /Ksh\s1,200\.00 is held from your wallet/);
    await expect(shadowPart(widget(canvasElement), 'live-status').dataset.status).toBe('pending');
  },
};

export const Succeeded: Story = {
  parameters: { mock: { railDelayMs: 300 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await sendToPhone(canvasElement, '0722000111', '1000');
    await waitForText(widget(canvasElement), /Ksh\s1,000\.00 sent to 254722000111\. Receipt TK/);
  },
};

/** Failed: M-Pesa could not pay the phone; the held money is released. */
export const Failed: Story = {
  parameters: { mock: { railDelayMs: 300 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await sendToPhone(canvasElement, '0700001032', '400');
    await waitForText(widget(canvasElement), 'The held money is back in your wallet.');
  },
};

/** Step-up: above KES 100,000 the bank answers `mfa_required`; the widget asks for the code (123456 here). */
export const StepUp: Story = {
  name: 'Step-up',
  parameters: { mock: { fixtures: rich, railDelayMs: 300 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const stepUps: WkStepUpRequiredDetail[] = [];
    canvasElement.addEventListener('wk-step-up-required', (event) => stepUps.push(event.detail));
    await sendToPhone(canvasElement, '0722000111', '150000');
    const form = widget(canvasElement);
    await waitForText(form, 'Confirm it is you');
    await waitFor(() => expect(stepUps).toHaveLength(1));
    await userEvent.type(shadowPart(form, 'otp-input'), '123456');
    await userEvent.click(shadowPart(form, 'verify-button'));
    await waitForText(form, 'sent to 254722000111');
  },
};

/** Error: not enough available money (422 `insufficient_funds`), shown as an alert. */
export const SendError: Story = {
  name: 'Error',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await sendToPhone(canvasElement, '0722000111', '99999');
    await waitForText(widget(canvasElement), 'There is not enough available balance');
    await expect(shadowPart(widget(canvasElement), 'error').getAttribute('role')).toBe('alert');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'M-Pesa phone number');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Nambari ya simu ya M-Pesa');
  },
};

/** Step-up in Swahili and dark. */
export const SwahiliDarkStepUp: Story = {
  name: 'Step-up (Swahili, dark)',
  args: { locale: 'sw', colorScheme: 'dark' },
  parameters: { mock: { fixtures: rich } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Tuma kwa');
    await userEvent.type(shadowPart(form, 'phone-input'), '0722000111');
    await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), '150000');
    await userEvent.click(shadowPart(form, 'submit-button'));
    await waitForText(form, 'Thibitisha kuwa ni wewe');
  },
};
