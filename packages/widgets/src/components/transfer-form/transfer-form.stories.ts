import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & {
  'from-account-id'?: string;
  'to-account-id'?: string;
  'pay-by-phone'?: boolean;
  'to-phone'?: string;
};

const widget = (root: HTMLElement) => root.querySelector('wk-transfer-form');

const meta = {
  title: 'Widgets/Transfer form',
  component: 'wk-transfer-form',
  render: (args) =>
    html`<wk-transfer-form
      from-account-id=${args['from-account-id'] ?? nothing}
      to-account-id=${args['to-account-id'] ?? nothing}
      ?pay-by-phone=${args['pay-by-phone'] ?? false}
      to-phone=${args['to-phone'] ?? nothing}
    ></wk-transfer-form>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Fills the edit step and goes to review, as a customer would. */
async function fillAndReview(root: HTMLElement, amount: string, reference?: string): Promise<void> {
  const form = widget(root);
  await waitForText(form, 'Review transfer');
  const input = shadowPart(shadowPart(form, 'amount-input'), 'input') as HTMLInputElement;
  await userEvent.type(input, amount);
  if (reference !== undefined) await userEvent.type(shadowPart(form, 'reference-input'), reference);
  await userEvent.click(shadowPart(form, 'review-button'));
  await waitForText(form, 'Check the details');
}

/** The edit step: pickers of the customer's accounts, the money input and a reference. */
export const Edit: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Review transfer');
  },
  parameters: {
    // The whole flow by keyboard alone: Tab through the fields, Enter reviews, Space sends.
    keyboard: [
      { press: 'Tab', focus: 'from-select' },
      { press: 'Tab', focus: 'to-select' },
      { press: 'Tab', focus: 'input' },
      { type: '1500.5' },
      { press: 'Tab', focus: 'reference-input', inputValue: { part: 'input', value: '1,500.50' } },
      { type: 'Rent' },
      { press: 'Enter', text: 'Check the details', focus: 'heading' },
      { press: 'Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Shift+Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Space', text: 'Sent Ksh 1,500.50 to Savings ••MINA.', focus: 'heading' },
      { press: 'Tab', focus: 'another-button' },
      { press: 'Enter', text: 'Review transfer', focus: 'from-select' },
    ] satisfies KeyboardStep[],
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading');
  },
};

/** Error: the accounts do not load (a 500 with its request id); Retry recovers. */
export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: {
      failures: [{ path: /^\/v1\/accounts$/, status: 500, code: 'internal_error', times: 1 }],
    } satisfies MockSetup,
    keyboard: [
      { press: 'Tab', focus: 'retry-button' },
      { press: 'Enter', text: 'Review transfer' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

/** Empty: the customer has no account to send from. */
export const NoAccounts: Story = {
  name: 'Empty (no accounts)',
  parameters: {
    mock: {
      fixtures: (fixtures) => {
        fixtures.accounts = fixtures.accounts.filter((a) => a.ownerId !== fixtures.customer.id);
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'You have no account to send from.');
  },
};

/** Success: fill, review, confirm; the form says what was sent and fires `wk-success` with the journal id. */
export const Success: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    await fillAndReview(canvasElement, '1500.5', 'School fees');
    await userEvent.click(shadowPart(widget(canvasElement), 'confirm-button'));
    await waitForText(widget(canvasElement), /Sent Ksh\s1,500\.50 to Savings ••MINA/);
    await waitFor(() => expect(successes).toHaveLength(1));
    const [success] = successes;
    await expect(success?.kind === 'transfer' && success.journalEntryId).toMatch(/^je_/);
  },
};

/** Error after review: more than the wallet holds answers `insufficient_funds`, shown as an alert. */
export const InsufficientFunds: Story = {
  name: 'Insufficient funds',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await fillAndReview(canvasElement, '99999');
    await userEvent.click(shadowPart(widget(canvasElement), 'confirm-button'));
    await waitForText(widget(canvasElement), 'There is not enough available balance');
    await expect(shadowPart(widget(canvasElement), 'error').getAttribute('role')).toBe('alert');
  },
};

/** Validation: reviewing an empty draft marks the amount invalid and focuses it. */
export const Invalid: Story = {
  name: 'Validation errors',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Review transfer');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitForText(form, 'Please check the highlighted fields.');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Edit.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Kagua uhamisho');
  },
};

/** Success, in Swahili and dark. */
export const SwahiliDarkSuccess: Story = {
  name: 'Success (Swahili, dark)',
  args: { locale: 'sw', colorScheme: 'dark' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Kagua uhamisho');
    const input = shadowPart(shadowPart(form, 'amount-input'), 'input') as HTMLInputElement;
    await userEvent.type(input, '250');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitFor(() => shadowPart(form, 'confirm-button'));
    await userEvent.click(shadowPart(form, 'confirm-button'));
    await waitFor(() => shadowPart(form, 'another-button'));
  },
};

/** Pay by phone: the edit step asks for the recipient's number (the keyboard flow sends by keyboard alone). */
export const PayByPhone: Story = {
  name: 'Pay by phone number',
  args: { 'pay-by-phone': true },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Recipient’s phone number');
    await expect(shadowPart<HTMLSelectElement>(form, 'to-select').value).toBe('__phone');
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'from-select' },
      { press: 'Tab', focus: 'to-select' },
      { press: 'Tab', focus: 'phone-input' },
      { type: '0722000111' },
      { press: 'Tab', focus: 'input' },
      { type: '100' },
      { press: 'Enter', text: 'Brian K.', focus: 'heading' },
      { press: 'Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Space', text: 'Sent Ksh 100.00 to Brian K.', focus: 'heading' },
    ] satisfies KeyboardStep[],
  },
};

/** Pay by phone, sent: the review shows the masked name (never an account id), then the money goes. */
export const PayByPhoneSent: Story = {
  name: 'Pay by phone number (sent)',
  args: { 'pay-by-phone': true },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Review transfer');
    await userEvent.type(shadowPart(form, 'phone-input'), '0722 000 111');
    const input = shadowPart(shadowPart(form, 'amount-input'), 'input') as HTMLInputElement;
    await userEvent.type(input, '250');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitForText(form, 'Brian K.');
    await expect(shadowPart(form, 'recipient').textContent).not.toMatch(/acc_/);
    await userEvent.click(shadowPart(form, 'confirm-button'));
    await waitForText(form, /Sent Ksh\s250\.00 to Brian K\./);
  },
};

/** A number that pays nobody: a field error, nothing sent. */
export const PayByPhoneUnknown: Story = {
  name: 'Pay by phone number (nobody at that number)',
  args: { 'pay-by-phone': true, 'to-phone': '0799999999' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const form = widget(canvasElement);
    await waitForText(form, 'Review transfer');
    const input = shadowPart(shadowPart(form, 'amount-input'), 'input') as HTMLInputElement;
    await userEvent.type(input, '10');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitForText(form, 'Nobody can receive money at this number.');
  },
};

export const PayByPhoneSwahiliDark: Story = {
  name: 'Pay by phone number (Swahili, dark)',
  args: { 'pay-by-phone': true, locale: 'sw', colorScheme: 'dark' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Nambari ya simu ya mpokeaji');
  },
};
