/**
 * The whole page logic: only the Wekeza widgets talk to the bank (through the SDK inside
 * `<wk-provider>`, whose base-url is this portal's `/bank`). Here we only react to their events.
 */
import '@wekeza/widgets/define/all';
import type { WkProvider } from '@wekeza/widgets';

const provider = document.querySelector('wk-provider') as WkProvider;
const signin = document.getElementById('signin') as HTMLElement;
const home = document.getElementById('home') as HTMLElement;
const signout = document.getElementById('signout') as HTMLFormElement;
const locale = document.getElementById('locale') as HTMLSelectElement;
const widgets = document.getElementById('home-widgets') as HTMLTemplateElement;
const nav = document.getElementById('nav') as HTMLElement;
/** The sections, by `#hash`: each a template of widgets (Home is the default). */
const sections: Record<string, string> = { '#move': 'move-widgets' };

function showHome(): void {
  signin.hidden = true;
  signout.hidden = false;
  home.hidden = false;
  nav.hidden = false;
  showSection();
}

/** Puts the current section's widgets in place (they exist only once there is a session). */
function showSection(): void {
  const id = sections[location.hash];
  const template = id ? (document.getElementById(id) as HTMLTemplateElement) : widgets;
  home.replaceChildren(template.content.cloneNode(true));
  for (const link of nav.querySelectorAll('a')) {
    const current = link.getAttribute('href') === (id ? location.hash : '#home');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

window.addEventListener('hashchange', () => {
  if (!home.hidden) showSection();
});

function showSignIn(): void {
  nav.hidden = true;
  home.hidden = true;
  home.replaceChildren();
  signout.hidden = true;
  signin.hidden = false;
}

provider.addEventListener('wk-success', (event) => {
  if (event.detail.kind === 'login') {
    // An opaque handle for this portal session; the bank's own token stays on the back end.
    provider.token = event.detail.token;
    showHome();
  }
});

provider.addEventListener('wk-error', (event) => {
  if (event.detail.code === 'unauthenticated' && !home.hidden) {
    provider.token = undefined;
    showSignIn();
  }
});

locale.addEventListener('change', () => {
  provider.locale = locale.value === 'sw' ? 'sw' : 'en';
  document.documentElement.lang = provider.locale;
});
