import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { MockFixtures } from '../../mock/fixtures.ts';
import { MOCK_PRODUCTS, type MockLoanStatus, mockLoan } from '../../mock/loans.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { deepText, shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { 'loan-id'?: string; chart?: boolean };

const widget = (root: HTMLElement) => root.querySelector('wk-loan-status');

const meta = {
  title: 'Widgets/Loan status',
  component: 'wk-loan-status',
  args: { chart: true },
  render: (args) =>
    html`<wk-loan-status loan-id=${args['loan-id'] ?? nothing} ?chart=${args.chart !== false}></wk-loan-status>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Only one loan, in `status` (arrears: one instalment paid, the rest overdue with a penalty). */
function onlyLoan(status: MockLoanStatus): MockSetup {
  return {
    fixtures: (f: MockFixtures) => {
      const product = MOCK_PRODUCTS[1]!;
      const recent = status === 'pending_disbursement' || status === 'disbursed';
      f.borrow.loans = [
        mockLoan({
          id: `loan_01HZSTORY${status.toUpperCase().replace(/[^A-Z]/g, '')}`,
          loanNumber: '48213370777',
          status,
          product,
          principalMinor: 1_200_000n,
          termMonths: 6,
          disbursed: recent
            ? '2025-03-15'
            : status === 'in_arrears' || status === 'written_off'
              ? '2024-11-10'
              : '2024-12-20',
          paidInstalments:
            status === 'closed' ? 6 : status === 'in_arrears' || status === 'written_off' ? 1 : 2,
          penaltiesMinor: status === 'in_arrears' ? 2_450n : 0n,
          closedOn: status === 'closed' ? '2025-03-10' : status === 'written_off' ? '2025-03-12' : null,
        }),
      ];
    },
  };
}

const labelIs =
  (label: string): Story['play'] =>
  async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loan 48213370777');
    await expect(deepText(shadowPart(widget(canvasElement), 'label'))).toBe(label);
  };

/** Credited (active): next due, outstanding by component, days past due; the schedule on demand. */
export const Credited: Story = {
  name: 'Status: Credited',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Loan 48213370925');
    await expect(deepText(shadowPart(widget(canvasElement), 'label'))).toBe('Credited');
    await expect(deepText(shadowPart(widget(canvasElement), 'next-due'))).toMatch(/on 20 Mar 2025/);
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'schedule-toggle' },
      { press: 'Enter', text: 'Hide schedule' },
      { press: 'Tab', focus: 'refresh-button' },
      { press: 'Shift+Tab', focus: 'schedule-toggle' },
      { press: 'Space', text: 'Show schedule' },
    ] satisfies KeyboardStep[],
  },
};

/** The schedule open: a stacked principal/interest chart (uPlot, lazy) and the table with paid / due / upcoming. */
export const Schedule: Story = {
  name: 'Schedule and chart',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const loans = widget(canvasElement);
    await waitFor(() => shadowPart(loans, 'schedule-toggle'));
    await userEvent.click(shadowPart(loans, 'schedule-toggle'));
    await waitFor(() => expect(shadowPart(loans, 'chart').querySelector('canvas')).not.toBeNull(), {
      timeout: 5000,
    });
    await expect(loans?.shadowRoot?.querySelectorAll('[part~="paid"]').length).toBe(2);
    await expect(loans?.shadowRoot?.querySelectorAll('[part~="due"]').length).toBe(1);
  },
};

export const WIP: Story = {
  name: 'Status: WIP',
  parameters: { mock: onlyLoan('pending_disbursement') },
  play: labelIs('WIP'),
};
export const Disbursed: Story = {
  name: 'Status: Disbursed',
  parameters: { mock: onlyLoan('disbursed') },
  play: labelIs('Disbursed'),
};
export const InArrears: Story = {
  name: 'Status: In arrears',
  parameters: { mock: onlyLoan('in_arrears') },
  play: async (context) => {
    await labelIs('In arrears')?.(context as never);
    await expect(deepText(shadowPart(widget(context.canvasElement), 'dpd'))).toMatch(/^\d+$/);
  },
};
export const Closed: Story = {
  name: 'Status: Closed',
  parameters: { mock: onlyLoan('closed') },
  play: labelIs('Closed'),
};
export const WrittenOff: Story = {
  name: 'Status: Written off',
  parameters: { mock: onlyLoan('written_off') },
  play: labelIs('Written off'),
};

export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitFor(() => shadowPart(widget(canvasElement), 'skeleton'));
  },
};

export const LoadError: Story = {
  name: 'Error',
  parameters: {
    mock: { failures: [{ path: /^\/v1\/loans/, status: 500, code: 'internal_error', times: 1 }] },
    keyboard: [
      { press: 'Tab', focus: 'refresh-button' },
      { press: 'Enter', text: 'Loan 48213370925' },
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
    await waitForText(widget(canvasElement), 'You have no loans.');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Schedule.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  parameters: { mock: onlyLoan('in_arrears') },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Ina malimbikizo');
    await waitForText(widget(canvasElement), 'Siku za kuchelewa');
  },
};
