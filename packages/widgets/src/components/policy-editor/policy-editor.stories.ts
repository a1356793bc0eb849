import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

const widget = (root: HTMLElement) => root.querySelector('wk-policy-editor');

const meta = {
  title: 'Staff/Policy editor',
  component: 'wk-policy-editor',
  render: () => html`<wk-policy-editor></wk-policy-editor>`,
} satisfies Meta<StoryArgs>;
export default meta;
type Story = StoryObj<StoryArgs>;

async function setField(root: HTMLElement, part: string, value: string): Promise<void> {
  const input = shadowPart<HTMLInputElement>(widget(root), part);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await widget(root)?.updateComplete;
}

/** The policy in force, as editable data. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'sandbox-consumer@1');
    await expect(shadowPart<HTMLInputElement>(widget(canvasElement), 'approve-input').value).toBe('540');
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'approve-input' },
      { press: 'Control+a' },
      { type: '580' },
      { press: 'Tab' },
      { press: 'Tab' },
      { press: 'Tab' },
      { press: 'Tab' },
      { press: 'Tab' },
      { press: 'Tab', focus: 'lastN-input' },
      { press: 'Tab', focus: 'dry-run-button' },
      { press: 'Enter', text: 'This change would have approved' },
    ] satisfies KeyboardStep[],
  },
};

/** A stricter cut-off, dry-run over the last applications before saving. */
export const DryRun: Story = {
  name: 'Success (dry run of a stricter cut-off)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'sandbox-consumer@1');
    await setField(canvasElement, 'approve-input', '580');
    shadowPart(widget(canvasElement), 'dry-run-button').click();
    await waitForText(widget(canvasElement), 'fewer of the last');
    await expect(deepText(shadowPart(widget(canvasElement), 'dry-run'))).toMatch(/newly declined/);
  },
};

/** Saved with a reason: a new policy version. */
export const Saved: Story = {
  name: 'Success (saved)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'sandbox-consumer@1');
    await setField(canvasElement, 'approve-input', '560');
    const reason = shadowPart<HTMLTextAreaElement>(widget(canvasElement), 'reason-input');
    reason.value = 'Arrears rising in the 500s.';
    reason.dispatchEvent(new Event('input'));
    await widget(canvasElement)?.updateComplete;
    shadowPart(widget(canvasElement), 'save-button').click();
    await waitForText(widget(canvasElement), 'Saved: decisions now use sandbox-consumer@2.');
  },
};

/** Invalid: the refer cut-off above the approve cut-off is refused before any request. */
export const Invalid: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'sandbox-consumer@1');
    await setField(canvasElement, 'refer-input', '600');
    shadowPart(widget(canvasElement), 'dry-run-button').click();
    await waitForText(widget(canvasElement), 'The refer cut-off cannot be above the approve cut-off.');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading…');
  },
};

export const ServerError: Story = {
  name: 'Error',
  parameters: {
    mock: {
      failures: [{ path: /^\/v1\/risk\/policy/, status: 500, code: 'internal_error', times: 1 }],
    } satisfies MockSetup,
  },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Something went wrong');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Sera ya mikopo');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Loaded.play };
