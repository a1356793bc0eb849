/**
 * The whole page logic: only the Wekeza staff widgets talk to the bank (through the SDK inside
 * `<wk-provider>`, whose base-url is this workbench's `/bank`). Here we sign staff in (with their
 * TOTP code when the bank asks for one), show the screens their role has, and move between screens
 * when a widget fires `wk-select`.
 */
import '@wekeza/widgets/define/staff';
import type { WkProvider } from '@wekeza/widgets';

type Role = 'banker' | 'admin';
interface Staff {
  id: string;
  name: string;
  roles: Role[];
}

const provider = document.querySelector('wk-provider') as WkProvider;
const signin = document.getElementById('signin') as HTMLElement;
const screen = document.getElementById('screen') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const signout = document.getElementById('signout') as HTMLFormElement;
const locale = document.getElementById('locale') as HTMLSelectElement;
const otpForm = document.getElementById('otp') as HTMLFormElement;
const otpInput = document.getElementById('otp-code') as HTMLInputElement;
const otpError = document.getElementById('otp-error') as HTMLElement;

let staff: Staff | undefined;
let pendingStepUp: { retry: (otp: string) => Promise<void>; cancel: () => void } | undefined;

/** Builds an element with attributes (no HTML strings, so nothing is ever parsed from data). */
function el(tag: string, attributes: Record<string, string> = {}, text?: string): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function back(href: string, text: string): HTMLElement {
  const link = el('a', { href, class: 'back' }, `← ${text}`);
  return link;
}

const SCREENS: Record<string, { roles: Role[]; title: string; render: (id?: string) => HTMLElement[] }> = {
  customers: {
    roles: ['banker', 'admin'],
    title: 'Customers',
    render: (id) =>
      id
        ? [back('#/customers', 'Back to the search'), el('wk-customer-360', { 'customer-id': id })]
        : [el('wk-customer-search')],
  },
  applications: {
    roles: ['banker', 'admin'],
    title: 'Loan application',
    render: (id) => [
      back('#/customers', 'Back to customers'),
      el('wk-application-review', { 'application-id': id ?? '' }),
    ],
  },
  approvals: { roles: ['banker', 'admin'], title: 'Approvals', render: () => [el('wk-approval-queue')] },
  portfolio: { roles: ['admin'], title: 'Portfolio', render: () => [el('wk-portfolio')] },
  models: { roles: ['admin'], title: 'Models', render: () => [el('wk-model-governance')] },
  policy: { roles: ['admin'], title: 'Credit policy', render: () => [el('wk-policy-editor')] },
  audit: { roles: ['admin'], title: 'Audit log', render: () => [el('wk-audit-log')] },
};

function route(): void {
  if (!staff) return;
  const [, name = '', id] = /^#\/([a-z]+)(?:\/([A-Za-z0-9_]+))?$/.exec(location.hash) ?? [];
  const screenDef = SCREENS[name];
  if (!screenDef?.roles.some((r) => staff?.roles.includes(r))) {
    location.hash = '#/customers';
    return;
  }
  screen.replaceChildren(...screenDef.render(id));
  screen.setAttribute('aria-label', screenDef.title);
  document.title = `${screenDef.title} · Wekeza Admin Workbench`;
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  screen.focus();
}

async function signedIn(token: string): Promise<void> {
  provider.token = token;
  const answer = await fetch('/session', { headers: { authorization: `Bearer ${token}` } });
  if (!answer.ok) return signedOut();
  staff = (await answer.json()) as Staff;
  who.textContent = `${staff.name} (${staff.roles.join(', ')})`;
  who.hidden = false;
  for (const item of nav.querySelectorAll<HTMLElement>('li[data-roles]')) {
    const roles = (item.dataset.roles ?? '').split(' ');
    item.hidden = !roles.some((r) => staff?.roles.includes(r as Role));
  }
  signin.hidden = true;
  otpForm.hidden = true;
  nav.hidden = false;
  signout.hidden = false;
  screen.hidden = false;
  if (!location.hash.startsWith('#/'))
    location.hash = staff.roles.includes('admin') ? '#/portfolio' : '#/customers';
  else route();
}

function signedOut(): void {
  staff = undefined;
  provider.token = undefined;
  screen.replaceChildren();
  screen.hidden = true;
  nav.hidden = true;
  who.hidden = true;
  signout.hidden = true;
  signin.hidden = false;
}

provider.addEventListener('wk-success', (event) => {
  if (event.detail.kind === 'login') void signedIn(event.detail.token);
});

// The bank wants the TOTP code: ask for it, then let <wk-login> repeat the grant with it.
provider.addEventListener('wk-step-up-required', (event) => {
  pendingStepUp = event.detail;
  otpForm.hidden = false;
  otpError.textContent = '';
  otpInput.value = '';
  otpInput.focus();
});

otpForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const code = otpInput.value.trim();
  if (!/^([0-9]{6}|[a-z0-9]{5}-[a-z0-9]{5})$/.test(code)) {
    otpError.textContent = 'Enter the 6 digits your authenticator shows (or a recovery code).';
    otpInput.setAttribute('aria-invalid', 'true');
    otpInput.focus();
    return;
  }
  otpInput.removeAttribute('aria-invalid');
  otpError.textContent = '';
  const stepUp = pendingStepUp;
  pendingStepUp = undefined;
  await stepUp?.retry(code);
});

provider.addEventListener('wk-select', (event) => {
  const { kind, id } = event.detail;
  if (kind === 'customer') location.hash = `#/customers/${id}`;
  else if (kind === 'application') location.hash = `#/applications/${id}`;
});

provider.addEventListener('wk-error', (event) => {
  if (event.detail.code === 'unauthenticated' && staff) signedOut();
});

window.addEventListener('hashchange', route);

locale.addEventListener('change', () => {
  provider.locale = locale.value === 'sw' ? 'sw' : 'en';
  document.documentElement.lang = provider.locale;
});
