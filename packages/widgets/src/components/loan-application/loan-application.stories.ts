import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'product-id'?: string; chart?: boolean };

const widget = (root: HTMLElement) => root.querySelector('wk-loan-application');

const meta = {
  title: 'Widgets/Loan application',
  component: 'wk-loan-application',
  args: { chart: true },
  render: (args) =>
    html`<wk-loan-application product-id=${args['product-id'] ?? nothing} ?chart=${args.chart !== false}></wk-loan-application>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Types an amount (and picks a product), waits for the live quote. */
async function quoteFor(root: HTMLElement, amount: string, productId?: string): Promise<void> {
  const form = widget(root);
  await waitFor(() => shadowPart(form, 'product-select'));
  if (productId) {
    const select = shadowPart(form, 'product-select') as HTMLSelectElement;
    await userEvent.selectOptions(select, productId);
  }
  const input = shadowPart(shadowPart(form, 'amount-input'), 'input') as HTMLInputElement;
  await userEvent.type(input, amount);
  await userEvent.tab();
  await waitFor(() => shadowPart(form, 'quote'), { timeout: 5000 });
}

async function apply(root: HTMLElement): Promise<void> {
  await userEvent.click(shadowPart(widget(root), 'submit-button'));
}

/** The form: products, amount, term, purpose. */
export const Edit: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Repay over');
  },
  parameters: {
    // The whole flow by keyboard alone: amount, quote, apply, accept.
    keyboard: [
      { press: 'Tab', focus: 'product-select' },
      { press: 'Tab', focus: 'input' },
      { type: '20000' },
      { press: 'Tab', focus: 'term-select', inputValue: { part: 'input', value: '20,000.00' } },
      { press: 'Tab', focus: 'purpose-input', text: 'You receive' },
      { type: 'Stock' },
      { press: 'Enter', text: 'Approved', focus: 'decision-title' },
      { press: 'Tab', focus: 'edit-button' },
      { press: 'Tab', focus: 'accept-button' },
      { press: 'Enter', text: 'was sent to your wallet', focus: 'heading' },
    ] satisfies KeyboardStep[],
  },
};

/** The live quote: schedule (table and chart), fee, what reaches the wallet, total cost and APR. */
export const Quote: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await quoteFor(canvasElement, '20000');
    await expect(deepText(shadowPart(widget(canvasElement), 'quote'))).toMatch(
      /You receive\s*Ksh\s19,600\.00/,
    );
    await waitFor(
      () => expect(shadowPart(widget(canvasElement), 'chart').querySelector('canvas')).not.toBeNull(),
      {
        timeout: 5000,
      },
    );
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading');
  },
};

/** Error: the products do not load (500 with its request id); Try again recovers. */
export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/loan-products/, status: 500, code: 'internal_error', times: 1 }] },
    keyboard: [
      { press: 'Tab', focus: 'retry-button' },
      { press: 'Enter', text: 'Repay over' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

/** Empty: no products on offer. */
export const NoProducts: Story = {
  name: 'Empty (no products)',
  parameters: {
    mock: {
      fixtures: (f) => {
        f.borrow.products = [];
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'No loans are on offer right now.');
  },
};

/** Approved, then accepted: the money reaches the wallet and the loan is Credited. */
export const Approved: Story = {
  name: 'Decision: approved → accepted',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    await quoteFor(canvasElement, '20000');
    await apply(canvasElement);
    await waitForText(widget(canvasElement), 'Accept by');
    await userEvent.click(shadowPart(widget(canvasElement), 'accept-button'));
    await waitForText(widget(canvasElement), /Ksh\s19,600\.00 was sent to your wallet/);
    await expect(deepText(shadowPart(widget(canvasElement), 'loan-label'))).toBe('Loan status: Credited');
    await waitFor(() => expect(successes.map((s) => s.kind)).toEqual(['loan-application', 'loan']));
  },
};

/** Declined, with the reasons in plain language and what to do. */
export const Declined: Story = {
  name: 'Decision: declined',
  parameters: {
    mock: {
      fixtures: (f) => {
        f.borrow.forceDecision = 'declined';
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await quoteFor(canvasElement, '20000');
    await apply(canvasElement);
    await waitForText(widget(canvasElement), 'Not approved');
    await expect(deepText(shadowPart(widget(canvasElement), 'reasons'))).toMatch(/Pay money in regularly/);
  },
};

/** Referred: says what happens next. */
export const Referred: Story = {
  name: 'Decision: referred',
  parameters: {
    mock: {
      fixtures: (f) => {
        f.borrow.forceDecision = 'referred';
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await quoteFor(canvasElement, '20000');
    await apply(canvasElement);
    await waitForText(
      widget(canvasElement),
      'A loan officer will review your application within one working day.',
    );
  },
};

/** Accepting fails: the offer was already accepted elsewhere (409 conflict). */
export const AcceptConflict: Story = {
  name: 'Accept error (conflict)',
  parameters: {
    mock: {
      failures: [{ method: 'POST', path: /\/accept$/, status: 409, code: 'conflict' }],
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await quoteFor(canvasElement, '20000');
    await apply(canvasElement);
    await waitFor(() => shadowPart(widget(canvasElement), 'accept-button'));
    await userEvent.click(shadowPart(widget(canvasElement), 'accept-button'));
    await waitForText(widget(canvasElement), 'This can no longer be done.');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Quote.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Lipa kwa muda wa');
    const form = widget(canvasElement);
    const input = shadowPart(shadowPart(form, 'amount-input'), 'input') as HTMLInputElement;
    await userEvent.type(input, '20000');
    await userEvent.tab();
    await waitForText(form, 'Utapokea');
  },
};
