import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

const widget = (root: HTMLElement) => root.querySelector('wk-portfolio');

const meta = {
  title: 'Staff/Portfolio',
  component: 'wk-portfolio',
  render: () => html`<wk-portfolio></wk-portfolio>`,
} satisfies Meta<StoryArgs>;
export default meta;
type Story = StoryObj<StoryArgs>;

/** NPL and PAR30 now and over 60 bank days, loans by bucket and class, score bands. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loans by CBK class');
    await expect(deepText(shadowPart(widget(canvasElement), 'npl'))).toMatch(/%/);
    const charts = widget(canvasElement)?.shadowRoot?.querySelectorAll('wk-chart') ?? [];
    await expect(charts.length).toBe(4);
    // Every chart has its data as a table.
    await expect(charts[1]?.shadowRoot?.querySelectorAll('tbody tr').length).toBe(5);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'toggle' },
      { press: 'Enter', text: 'Hide data table' },
    ] satisfies KeyboardStep[],
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
      failures: [{ path: /^\/v1\/risk/, status: 500, code: 'internal_error', times: 1 }],
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
    await waitForText(widget(canvasElement), 'Ubora wa mikopo');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Loaded.play };
