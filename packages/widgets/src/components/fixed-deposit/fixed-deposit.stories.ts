import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

const widget = (root: HTMLElement) => root.querySelector('wk-fixed-deposit');
const amountField = (root: HTMLElement) =>
  shadowPart(shadowPart(widget(root), 'amount-input'), 'input') as HTMLInputElement;
/** A KES 50,000 deposit for 12 months, opened 90 days before the mock bank date. */
const withDeposit: MockSetup = {
  bank: (bank) => {
    bank.save.seedFixedDeposit({ principalMinor: 5_000_000n, termMonths: 12, daysAgo: 90 });
  },
};

const meta = {
  title: 'Widgets/Fixed deposit',
  component: 'wk-fixed-deposit',
  render: () => html`<wk-fixed-deposit></wk-fixed-deposit>`,
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** Empty: no deposit yet; the open form (product, term, amount, what happens at maturity). */
export const Empty: Story = {
  name: 'Empty (open one)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'You have no fixed deposit yet.');
  },
  parameters: {
    // Keyboard only: term, amount, at maturity, Enter asks for the quote, then Space deposits.
    keyboard: [
      { press: 'Tab', focus: 'term-select' },
      { press: 'Tab', focus: 'input' },
      { type: '10000' },
      { press: 'Enter', text: 'Paid to you at maturity', focus: 'h3' },
      { press: 'Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Space', text: 'Your fixed deposit is open.', focus: 'heading' },
    ] satisfies KeyboardStep[],
  },
};

/** Open: the deposit quote (maturity date, gross interest, tax, amount at maturity) before opening. */
export const Open: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const deposit = widget(canvasElement);
    await waitForText(deposit, 'Open a fixed deposit');
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    const term = shadowPart<HTMLSelectElement>(deposit, 'term-select');
    await userEvent.selectOptions(term, '6');
    await userEvent.type(amountField(canvasElement), '20000');
    await userEvent.click(shadowPart(deposit, 'review-button'));
    await waitForText(deposit, 'Paid to you at maturity');
    await expect(deepText(shadowPart(deposit, 'quote'))).toMatch(/Withholding tax/);
    await userEvent.click(shadowPart(deposit, 'confirm-button'));
    await waitForText(deposit, 'Your fixed deposit is open.');
    await waitFor(() => expect(successes[0]?.kind).toBe('fixed-deposit-opened'));
  },
};

/** A deposit 90 days into its term: what it will pay, and the early close with its forfeit shown first. */
export const CloseEarly: Story = {
  name: 'Close early (forfeit shown first)',
  parameters: { mock: withDeposit },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const deposit = widget(canvasElement);
    await waitForText(deposit, 'Close early');
    await userEvent.click(shadowPart(deposit, 'close-button'));
    await waitForText(deposit, 'Interest you give up');
    await userEvent.click(shadowPart(deposit, 'confirm-button'));
    await waitForText(deposit, /Closed\. Ksh\s[\d,.]+ is in your wallet\./);
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading');
  },
};

/** Error: the products do not load; Retry recovers. */
export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: {
      failures: [{ path: /^\/v1\/savings-products$/, status: 500, code: 'internal_error', times: 1 }],
    } satisfies MockSetup,
    keyboard: [
      { press: 'Tab', focus: 'retry-button' },
      { press: 'Enter', text: 'Open a fixed deposit' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

/** Validation: below the product's minimum. */
export const Invalid: Story = {
  name: 'Validation errors',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const deposit = widget(canvasElement);
    await waitForText(deposit, 'Open a fixed deposit');
    await userEvent.type(amountField(canvasElement), '5');
    await userEvent.click(shadowPart(deposit, 'review-button'));
    await waitForText(deposit, 'At least Ksh 1,000.00.');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  parameters: { mock: withDeposit },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Close early');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  parameters: { mock: withDeposit },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Funga mapema');
  },
};
