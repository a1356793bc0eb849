import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

const widget = (root: HTMLElement) => root.querySelector('wk-model-governance');

const meta = {
  title: 'Staff/Model governance',
  component: 'wk-model-governance',
  render: () => html`<wk-model-governance></wk-model-governance>`,
} satisfies Meta<StoryArgs>;
export default meta;
type Story = StoryObj<StoryArgs>;

/** The champion's AUC, KS and PSI, its calibration, and the challenger beside it. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Champion and challengers');
    await expect(deepText(shadowPart(widget(canvasElement), 'metrics'))).toMatch(/AUC\s*0\.762/);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'toggle' },
      { press: 'Tab', focus: 'activate-button' },
      { press: 'Enter', focus: 'reason-input' },
      { type: 'Better AUC on our own loans.' },
      { press: 'Tab', focus: 'confirm-button' },
      { press: 'Enter', text: 'behavioural@1.1.0 is now the champion.' },
    ] satisfies KeyboardStep[],
  },
};

/** Activating the challenger with a reason makes it the champion. */
export const Activated: Story = {
  name: 'Success (challenger activated)',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Champion and challengers');
    shadowPart(widget(canvasElement), 'activate-button').click();
    await widget(canvasElement)?.updateComplete;
    const input = shadowPart<HTMLTextAreaElement>(widget(canvasElement), 'reason-input');
    input.value = 'Better AUC on our own loans.';
    input.dispatchEvent(new Event('input'));
    await widget(canvasElement)?.updateComplete;
    shadowPart(widget(canvasElement), 'confirm-button').click();
    await waitForText(widget(canvasElement), 'behavioural@1.1.0 is now the champion.');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading…');
  },
};

/** A banker (not an administrator): the bank answers 404. */
export const NotAllowed: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/risk\/models/, status: 404, code: 'not_found' }] } satisfies MockSetup,
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
    await waitForText(widget(canvasElement), 'Usimamizi wa modeli');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Loaded.play };
