import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { currency?: string };

const widget = (root: HTMLElement) => root.querySelector('wk-credit-limit');

const meta = {
  title: 'Widgets/Credit limit',
  component: 'wk-credit-limit',
  render: (args) => html`<wk-credit-limit currency=${args.currency ?? nothing}></wk-credit-limit>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Approved: the limit, the score and its band, and the top reasons with what to do, in plain language. */
export const Approved: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'You can borrow up to');
    await expect(deepText(shadowPart(widget(canvasElement), 'limit'))).toMatch(/30,000\.00/);
    await expect(deepText(shadowPart(widget(canvasElement), 'band'))).toBe('Very good');
    await expect(deepText(shadowPart(widget(canvasElement), 'reasons'))).toMatch(/Pay money in regularly/);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'refresh-button' },
      { press: 'Enter', text: 'Limit updated.' },
    ] satisfies KeyboardStep[],
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitFor(() => shadowPart(widget(canvasElement), 'skeleton'));
    await expect(shadowPart(widget(canvasElement), 'base').getAttribute('aria-busy')).toBe('true');
  },
};

/** Error: scoring fails once (500 with its request id); Try again recovers. */
export const ServerError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/credit-limit/, status: 500, code: 'internal_error', times: 1 }] },
    keyboard: [
      { press: 'Tab', focus: 'refresh-button' },
      { press: 'Enter', text: 'You can borrow up to' },
    ] satisfies KeyboardStep[],
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
    await expect(deepText(widget(canvasElement))).toMatch(/Reference: req_mock_/);
  },
};

/** Declined: no limit, and why. */
export const Declined: Story = {
  parameters: {
    mock: {
      fixtures: (f) => {
        Object.assign(f.borrow.creditLimit, {
          decision: 'declined',
          score: 401,
          grade: 'E',
          reasons: [
            { code: 'SCORE_CUTOFF', text: 'score 401 below 460' },
            { code: 'PRIOR_WORST_DAYS_PAST_DUE_HIGH', text: 'priorWorstDaysPastDue is high (75)' },
            { code: 'DAYS_SINCE_LAST_INFLOW_HIGH', text: 'daysSinceLastInflow is high (64)' },
          ],
        });
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'We cannot offer you a loan right now.');
    await expect(deepText(shadowPart(widget(canvasElement), 'reasons'))).toMatch(
      /A past loan was paid very late/,
    );
  },
};

/** Referred: a loan officer looks at the limit first. */
export const Referred: Story = {
  parameters: {
    mock: {
      fixtures: (f) => {
        Object.assign(f.borrow.creditLimit, { decision: 'referred', score: 498, grade: 'D' });
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'A loan officer will look at your limit');
  },
};

/** Thin file and no reasons: a starter limit. */
export const ThinFile: Story = {
  name: 'Empty (thin file, no reasons)',
  parameters: {
    mock: {
      fixtures: (f) => {
        Object.assign(f.borrow.creditLimit, { thinFile: true, limitMinor: 500_000n, reasons: [] });
      },
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'this is a starter limit');
    await waitForText(widget(canvasElement), 'Nothing is holding your score back');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Approved.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Unaweza kukopa hadi');
    await waitForText(widget(canvasElement), 'Nzuri sana');
  },
};
