import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { StoryArgs } from '../../stories/support.ts';
import { deepText, storyReady, waitForText } from '../../stories/support.ts';

/**
 * `<wk-provider>` hands the client, locale and appearance to every widget inside it. Every story
 * here is already wrapped in one (`mode="mock"`, see `.storybook/preview.ts`); this page shows the
 * widgets together, as a portal would place them.
 */
const meta = {
  title: 'Widgets/Provider',
  component: 'wk-provider',
  render: () => html`
    <wk-wallet-balance></wk-wallet-balance>
    <wk-transfer-form></wk-transfer-form>
    <wk-transactions page-size="5"></wk-transactions>
  `,
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

async function allReady(root: HTMLElement): Promise<void> {
  await waitForText(root.querySelector('wk-transactions'), /5/);
  await waitFor(() => expect(deepText(root.querySelector('wk-wallet-balance'))).toMatch(/46,080\.00/));
}

/** A customer's home: balance, transfer and history sharing one provider (a transfer refreshes the rest). */
export const Portal: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await allReady(canvasElement);
  },
};

export const PortalDark: Story = {
  name: 'Portal (dark)',
  args: { colorScheme: 'dark' },
  play: Portal.play,
};

export const PortalSwahili: Story = {
  name: 'Portal (Swahili)',
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await allReady(canvasElement);
    await waitForText(canvasElement.querySelector('wk-transfer-form'), 'Tuma pesa');
  },
};
