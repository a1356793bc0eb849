import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

const widget = (root: HTMLElement) => root.querySelector('wk-audit-log');

const meta = {
  title: 'Staff/Audit log',
  component: 'wk-audit-log',
  render: () => html`<wk-audit-log page-size="10"></wk-audit-log>`,
} satisfies Meta<StoryArgs>;
export default meta;
type Story = StoryObj<StoryArgs>;

/** The log, newest first, with each event's leaf once sealed. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'kyc.tier_raised');
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'verify-log-button' },
      { press: 'Enter', text: 'The log is intact' },
    ] satisfies KeyboardStep[],
  },
};

/** An event opened: before and after, and its inclusion proof verified in this browser. */
export const ProofVerified: Story = {
  name: 'Success (proof verified in the browser)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'kyc.tier_raised');
    const link = [...(shadowPart(widget(canvasElement), 'table').querySelectorAll('button') ?? [])].find(
      (b) => b.textContent?.trim() === 'kyc.tier_raised',
    ) as HTMLButtonElement;
    link.click();
    await waitForText(widget(canvasElement), 'Passport and utility bill checked.');
    shadowPart(widget(canvasElement), 'verify-event-button').click();
    await waitForText(widget(canvasElement), 'Verified in this browser', 10_000);
  },
};

/** The filter narrows the loaded events. */
export const Filtered: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'kyc.tier_raised');
    const input = shadowPart<HTMLInputElement>(widget(canvasElement), 'filter-input');
    input.value = 'risk.model';
    input.dispatchEvent(new Event('input'));
    await waitForText(widget(canvasElement), '1 events shown.');
    await expect(deepText(shadowPart(widget(canvasElement), 'table'))).not.toMatch(/kyc\.tier_raised/);
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading…');
  },
};

/** Not an administrator: the bank answers 404, shown as such. */
export const NotAllowed: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/audit-events/, status: 404, code: 'not_found' }] } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'We could not find');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Kumbukumbu ya ukaguzi');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Loaded.play };
