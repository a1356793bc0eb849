import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { KeyboardStep, StoryArgs } from '../../stories/support.ts';
import { shadowPart, storyReady } from '../../stories/support.ts';
import type { WkAmountInput } from './amount-input.ts';

type Args = StoryArgs & {
  currency: string;
  label: string;
  hint: string;
  error: string;
  required: boolean;
  disabled: boolean;
};

const widget = (root: HTMLElement) => root.querySelector('wk-amount-input') as WkAmountInput;
const field = (root: HTMLElement) => shadowPart(widget(root), 'input') as HTMLInputElement;

const meta = {
  title: 'Widgets/Amount input',
  component: 'wk-amount-input',
  args: { currency: 'KES', label: 'Amount (KES)', hint: '', error: '', required: false, disabled: false },
  render: (args) => html`<wk-amount-input
    name="amount"
    currency=${args.currency}
    label=${args.label}
    hint=${args.hint}
    error=${args.error}
    ?required=${args.required}
    ?disabled=${args.disabled}
  ></wk-amount-input>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Typing `1500.5` gives the model value KES 1500.50; on blur the text is formatted. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitFor(() => expect(field(canvasElement).getAttribute('inputmode')).toBe('decimal'));
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'input' },
      { type: '1500.5' },
      { press: 'Shift+Tab', inputValue: { part: 'input', value: '1,500.50' } },
      { press: 'Tab', focus: 'input' },
    ] satisfies KeyboardStep[],
  },
};

/** Success: a parsed and formatted amount (rounded half-up to the currency's minor digits). */
export const Filled: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await userEvent.type(field(canvasElement), '1234.567');
    await userEvent.tab();
    await waitFor(() => expect(field(canvasElement).value).toBe('1,234.57'));
    await expect(widget(canvasElement).value?.toDecimalString()).toBe('1234.57');
  },
};

/** Error: an error message, wired with `aria-invalid` and `aria-describedby`. */
export const WithError: Story = {
  name: 'Error',
  args: { error: 'Enter an amount.', required: true },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitFor(() => expect(field(canvasElement).getAttribute('aria-invalid')).toBe('true'));
  },
};

/** A currency without minor units (UGX): decimals are rounded away. */
export const ZeroDecimals: Story = {
  name: 'UGX (no minor units)',
  args: { currency: 'UGX', label: 'Amount (UGX)', hint: 'Whole shillings only.' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await userEvent.type(field(canvasElement), '2500.6');
    await userEvent.tab();
    await waitFor(() => expect(field(canvasElement).value).toBe('2,501'));
  },
};

export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await expect(field(canvasElement).disabled).toBe(true);
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark', hint: 'Up to KES 100,000 without a one-time code.' },
  play: async ({ canvasElement }) => storyReady(canvasElement),
};

/** Swahili: the same pipeline with the `sw-KE` locale. */
export const Swahili: Story = {
  args: { locale: 'sw', label: 'Kiasi (KES)' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await userEvent.type(field(canvasElement), '99.9');
    await userEvent.tab();
    await waitFor(() => expect(field(canvasElement).value).toBe('99.90'));
  },
};
