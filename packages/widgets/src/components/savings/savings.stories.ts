import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'account-id'?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-savings');
const amountField = (root: HTMLElement) =>
  shadowPart(shadowPart(widget(root), 'amount-input'), 'input') as HTMLInputElement;

const meta = {
  title: 'Widgets/Savings',
  component: 'wk-savings',
  render: (args) => html`<wk-savings account-id=${args['account-id'] ?? nothing}></wk-savings>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Success: balance, rate, interest earned (gross, tax, net, accrued) and growth month by month. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const savings = widget(canvasElement);
    await waitForText(savings, 'Interest earned');
    await expect(deepText(shadowPart(savings, 'balance'))).toMatch(/125,000\.00/);
    await expect(deepText(shadowPart(savings, 'interest'))).toMatch(/Gross interest paid/);
    await expect(shadowPart(savings, 'growth-table').querySelectorAll('tbody tr').length).toBeGreaterThan(0);
  },
  parameters: {
    // Keyboard only: pick "Withdraw to wallet", type, Enter reviews, Space confirms.
    keyboard: [
      { press: 'Tab', focus: 'move-add' },
      { press: 'Tab', focus: 'move-withdraw' },
      { press: 'Enter' },
      { press: 'Tab', focus: 'input' },
      { type: '500' },
      { press: 'Enter', text: 'Withdraw Ksh 500.00' },
      { press: 'Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Space', text: 'Moved Ksh 500.00 to your wallet.', focus: 'heading' },
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

/** Error: the accounts do not load; Retry recovers. */
export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: {
      failures: [{ path: /^\/v1\/accounts$/, status: 500, code: 'internal_error', times: 1 }],
    } satisfies MockSetup,
    keyboard: [
      { press: 'Tab', focus: 'retry-button' },
      { press: 'Enter', text: 'Interest earned' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

/** Empty: no savings account yet; the customer opens one funded from the wallet. */
export const Empty: Story = {
  name: 'Empty (open one)',
  parameters: {
    mock: {
      fixtures: (fixtures) => {
        fixtures.accounts = fixtures.accounts.filter((a) => a.type !== 'savings');
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const savings = widget(canvasElement);
    await waitForText(savings, 'You have no savings account yet.');
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    await userEvent.type(amountField(canvasElement), '1000');
    await userEvent.click(shadowPart(savings, 'review-button'));
    await waitForText(savings, 'Open with Ksh 1,000.00');
    await userEvent.click(shadowPart(savings, 'confirm-button'));
    await waitForText(savings, 'Your savings account is open.');
    await waitFor(() => expect(successes[0]?.kind).toBe('savings-opened'));
    await waitForText(savings, 'Interest earned');
  },
};

/** Withdraw to wallet; more than the balance is refused with `insufficient_funds`. */
export const Withdraw: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const savings = widget(canvasElement);
    await waitForText(savings, 'Interest earned');
    await userEvent.click(shadowPart(savings, 'move-withdraw'));
    await userEvent.type(amountField(canvasElement), '999999');
    await userEvent.click(shadowPart(savings, 'review-button'));
    await userEvent.click(shadowPart(savings, 'confirm-button'));
    await waitForText(savings, 'There is not enough available balance');
    await expect(shadowPart(savings, 'error').getAttribute('role')).toBe('alert');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Interest earned');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Riba uliyopata');
  },
};
