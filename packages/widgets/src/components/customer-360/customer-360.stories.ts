import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect } from 'storybook/test';
import { MOCK_STAFF_CUSTOMER_ID } from '../../mock/staff.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'customer-id'?: string };
const widget = (root: HTMLElement) => root.querySelector('wk-customer-360');

const meta = {
  title: 'Staff/Customer 360',
  component: 'wk-customer-360',
  args: { 'customer-id': MOCK_STAFF_CUSTOMER_ID },
  render: (args) => html`<wk-customer-360 customer-id=${args['customer-id'] ?? nothing}></wk-customer-360>`,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<Args>;

/** A referred applicant: profile, KYC, accounts, a loan in arrears, the decision and its features. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Wanjiru Kamau');
    await expect(deepText(shadowPart(widget(canvasElement), 'loans'))).toMatch(/In arrears.*12/s);
    await expect(deepText(shadowPart(widget(canvasElement), 'decisions'))).toMatch(/behavioural@1\.0\.0/);
    let chosen = '';
    canvasElement.addEventListener('wk-select', (e) => {
      chosen = e.detail.id;
    });
    (shadowPart(widget(canvasElement), 'applications').querySelector('button') as HTMLButtonElement).click();
    await expect(chosen).toBe('app_01MOCKREFERRED');
  },
  parameters: {
    keyboard: [{ press: 'Tab' }, { press: 'Enter', text: 'Wanjiru Kamau' }] satisfies KeyboardStep[],
  },
};

/** A customer with no applications, overrides or tier history. */
export const Quiet: Story = {
  name: 'Empty sections',
  args: { 'customer-id': 'cus_01MOCKAMINA' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'No applications.');
  },
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loading…');
  },
};

/** Not found (or not yours to see): a localized 404. */
export const NotFound: Story = {
  name: 'Error',
  args: { 'customer-id': 'cus_01NOBODY' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'We could not find');
  },
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Maombi ya mikopo');
  },
};

export const Dark: Story = { args: { colorScheme: 'dark' }, play: Loaded.play };
