import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'loan-id'?: string; 'from-account-id'?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-repayment');

const meta = {
  title: 'Widgets/Repayment',
  component: 'wk-repayment',
  render: (args) =>
    html`<wk-repayment
      loan-id=${args['loan-id'] ?? nothing}
      from-account-id=${args['from-account-id'] ?? nothing}
    ></wk-repayment>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

async function ready(root: HTMLElement): Promise<void> {
  await storyReady(root);
  await waitForText(widget(root), 'To close the loan today');
}

/** The form: the loan, the account to pay from, full or part, with today's payoff. */
export const Edit: Story = {
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'loan-select' },
      { press: 'Tab', focus: 'from-select' },
      { press: 'Tab', focus: 'kind-select' },
      { press: 'Tab', focus: 'input' },
      { type: '500' },
      { press: 'Enter', text: 'Pay Ksh', focus: 'heading' },
      { press: 'Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Enter', text: 'Paid Ksh 500.00.', focus: 'heading' },
      { press: 'Tab', focus: 'another-button' },
    ] satisfies KeyboardStep[],
  },
};

/** A partial payment: the bank's split and what is still owed. */
export const Partial: Story = {
  name: 'Partial payment',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    const form = widget(canvasElement);
    await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), '1000');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitFor(() => shadowPart(form, 'confirm-button'));
    await userEvent.click(shadowPart(form, 'confirm-button'));
    await waitForText(form, /Paid Ksh\s1,000\.00\. Ksh\s[\d,.]+ still owed\./);
    await waitFor(() => expect(successes.map((s) => s.kind)).toEqual(['repayment']));
  },
};

/** Paying off: today's payoff in full closes the loan. */
export const PayOff: Story = {
  name: 'Pay off in full',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const form = widget(canvasElement);
    await userEvent.selectOptions(shadowPart(form, 'kind-select') as HTMLSelectElement, 'full');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitFor(() => shadowPart(form, 'confirm-button'));
    await userEvent.click(shadowPart(form, 'confirm-button'));
    await waitForText(form, 'The loan is closed.');
  },
};

/** More than the loan owes: refused before sending. */
export const OverPayoff: Story = {
  name: 'Validation (more than the payoff)',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const form = widget(canvasElement);
    await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), '999999');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitForText(form, 'The most you can pay is');
  },
};

/** The wallet cannot cover it: `insufficient_funds`. */
export const InsufficientFunds: Story = {
  name: 'Insufficient funds',
  parameters: {
    mock: {
      fixtures: (f) => {
        const wallet = f.accounts.find((a) => a.type === 'wallet');
        if (wallet) wallet.ledgerMinor = 60_000n;
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const form = widget(canvasElement);
    await userEvent.type(shadowPart(shadowPart(form, 'amount-input'), 'input'), '2000');
    await userEvent.click(shadowPart(form, 'review-button'));
    await waitFor(() => shadowPart(form, 'confirm-button'));
    await userEvent.click(shadowPart(form, 'confirm-button'));
    await waitForText(form, 'There is not enough available balance');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading');
  },
};

export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/loans$/, status: 500, code: 'internal_error', times: 1 }] },
    keyboard: [
      { press: 'Tab', focus: 'retry-button' },
      { press: 'Enter', text: 'To close the loan today' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

export const Empty: Story = {
  name: 'Empty (no loans)',
  parameters: {
    mock: {
      fixtures: (f) => {
        f.borrow.loans = [];
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'You have no loan to repay.');
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
    await waitForText(widget(canvasElement), 'Kufunga mkopo leo');
    await expect(deepText(widget(canvasElement))).toMatch(/Lipa sehemu/);
  },
};
