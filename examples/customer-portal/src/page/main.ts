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

function showHome(): void {
  signin.hidden = true;
  signout.hidden = false;
  home.hidden = false;
  // The account widgets exist only once there is a session, so they never load signed out.
  home.replaceChildren(widgets.content.cloneNode(true));
}

function showSignIn(): void {
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
