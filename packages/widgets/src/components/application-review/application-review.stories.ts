import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { MOCK_REFERRED_APPLICATION_ID } from '../../mock/staff.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'application-id'?: string };
const widget = (root: HTMLElement) => root.querySelector('wk-application-review');

const meta = {
  title: 'Staff/Application review',
  component: 'wk-application-review',
  args: { 'application-id': MOCK_REFERRED_APPLICATION_ID },
  render: (args) =>
    html`<wk-application-review application-id=${args['application-id'] ?? nothing}></wk-application-review>`,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<Args>;

async function typeReason(root: HTMLElement, text: string): Promise<void> {
  const input = shadowPart<HTMLTextAreaElement>(widget(root), 'reason-input');
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await widget(root)?.updateComplete;
}

/** A referred application: the decision, score, PD, model and the reasons that drove it. */
export const Referred: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'What drove the decision');
    await expect(deepText(shadowPart(widget(canvasElement), 'decision'))).toBe('Referred');
    await expect(deepText(shadowPart(widget(canvasElement), 'reasons'))).toMatch(/band a banker reviews/);
  },
  parameters: {
    keyboard: [
      { press: 'Tab' },
      { press: 'Tab', focus: 'decision-select' },
      { press: 'Tab', focus: 'reason-input' },
      { type: 'Known customer, steady shop income.' },
      { press: 'Tab', focus: 'override-button' },
      { press: 'Enter', text: 'Override saved' },
    ] satisfies KeyboardStep[],
  },
};

/** The reason is mandatory: submitting without one is refused before any request. */
export const ReasonRequired: Story = {
  name: 'Invalid (no reason)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Override the decision');
    shadowPart(widget(canvasElement), 'override-button').click();
    await waitForText(widget(canvasElement), 'Give a reason of 3 to 500 characters.');
  },
};

/** Approving with a reason: the override is saved and the application is approved. */
export const Overridden: Story = {
  name: 'Success (override saved)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Override the decision');
    await typeReason(canvasElement, 'Known customer, steady shop income.');
    shadowPart(widget(canvasElement), 'override-button').click();
    await waitForText(widget(canvasElement), 'Override saved: the application is now Approved.');
    await waitFor(() => expect(deepText(widget(canvasElement))).toMatch(/by usr_mockbanker/));
  },
};

/** Above the bank's threshold the override waits for a second banker (maker-checker). */
export const NeedsApproval: Story = {
  name: 'Success (waits for a second banker)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    // Make the mock application large enough to need a second banker (over KES 50,000).
    const provider = canvasElement.querySelector('wk-provider') as unknown as {
      mockBank: { staffMock(): Promise<{ applications: Map<string, Record<string, unknown>> }> | undefined };
    };
    const app = (await provider.mockBank.staffMock())?.applications.get('app_01MOCKREFERRED') as Record<
      string,
      unknown
    >;
    app.amount = { amount: '80000.00', currency: 'KES' };
    await waitForText(widget(canvasElement), 'Override the decision');
    await typeReason(canvasElement, 'Large but well covered by inflows.');
    shadowPart(widget(canvasElement), 'override-button').click();
    await waitForText(widget(canvasElement), 'Sent for a second banker’s approval');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading…');
  },
};

export const NotFound: Story = {
  name: 'Error',
  args: { 'application-id': 'app_01NONE' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'We could not find');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Kilichoamua uamuzi');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Referred.play };
