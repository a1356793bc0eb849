import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { WkSuccessDetail } from '../../core/events.ts';
import type { KeyboardStep, MockSetup, StoryArgs } from '../../stories/support.ts';
import { shadowPart, storyReady, waitForText } from '../../stories/support.ts';

type Args = StoryArgs & { username: string };

const widget = (root: HTMLElement) => root.querySelector('wk-login');

const meta = {
  title: 'Widgets/Login',
  component: 'wk-login',
  args: { username: '' },
  render: (args) => html`<wk-login username=${args.username}></wk-login>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

async function signIn(root: HTMLElement, username: string, password: string): Promise<void> {
  const login = widget(root);
  await waitForText(login, 'Sign in');
  await userEvent.type(shadowPart(login, 'username-input'), username);
  await userEvent.type(shadowPart(login, 'password-input'), password);
  await userEvent.click(shadowPart(login, 'submit-button'));
}

/** The empty form. Mock mode accepts customer@sandbox.test / sandbox-pass-123. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Phone or e-mail');
  },
  parameters: {
    keyboard: [
      { press: 'Tab', focus: 'username-input' },
      { type: 'customer@sandbox.test' },
      { press: 'Tab', focus: 'password-input' },
      { type: 'sandbox-pass-123' },
      { press: 'Shift+Tab', focus: 'username-input' },
      { press: 'Tab', focus: 'password-input' },
      { press: 'Tab', focus: 'submit-button' },
      { press: 'Enter', text: 'You are signed in.' },
    ] satisfies KeyboardStep[],
  },
};

/** Success: signs in and fires `wk-success` with the token (the host sets it on the provider). */
export const Success: Story = {
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const successes: WkSuccessDetail[] = [];
    canvasElement.addEventListener('wk-success', (event) => successes.push(event.detail));
    await signIn(canvasElement, 'customer@sandbox.test', 'sandbox-pass-123');
    await waitForText(widget(canvasElement), 'You are signed in.');
    await waitFor(() => expect(successes[0]?.kind).toBe('login'));
  },
};

/** Error: a wrong password is refused, the message is an alert and the password is cleared. */
export const WrongPassword: Story = {
  name: 'Error',
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await signIn(canvasElement, 'customer@sandbox.test', 'not-the-password');
    await waitForText(widget(canvasElement), 'The phone/e-mail or password is not correct.');
    await expect((shadowPart(widget(canvasElement), 'password-input') as HTMLInputElement).value).toBe('');
  },
};

/** Loading: while the bank answers, the button says "Signing in…" and is busy. */
export const Loading: Story = {
  parameters: { mock: { latencyMs: 600_000 } satisfies MockSetup },
  args: { username: 'customer@sandbox.test' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    const login = widget(canvasElement);
    await waitForText(login, 'Sign in');
    await userEvent.type(shadowPart(login, 'password-input'), 'sandbox-pass-123');
    await userEvent.click(shadowPart(login, 'submit-button'));
    await waitForText(login, 'Signing in…');
    await expect(shadowPart(login, 'submit-button').getAttribute('aria-busy')).toBe('true');
  },
};

export const Dark: Story = {
  args: { colorScheme: 'dark' },
  play: Empty.play,
};

export const Swahili: Story = {
  args: { locale: 'sw' },
  play: async ({ canvasElement }) => {
    await storyReady(canvasElement);
    await waitForText(widget(canvasElement), 'Simu au barua pepe');
  },
};
