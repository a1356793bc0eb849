/**
 * The whole page logic: only the Wekeza widgets talk to the bank (through the SDK inside
 * `<wk-provider>`, whose base-url is this portal's `/bank`). Here we only react to their events:
 * sign-in, sign-out on an ended session, step-up codes, and which page (hash) is shown.
 */
import '@wekeza/widgets/define/all';
import type { WkProvider, WkStepUpRequiredDetail } from '@wekeza/widgets';

const provider = document.querySelector('wk-provider') as WkProvider;
const signin = document.getElementById('signin') as HTMLElement;
const home = document.getElementById('home') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const signout = document.getElementById('signout') as HTMLFormElement;
const locale = document.getElementById('locale') as HTMLSelectElement;
const stepUp = document.getElementById('step-up') as HTMLDialogElement;
const stepUpCode = document.getElementById('step-up-code') as HTMLInputElement;

/** The pages, each built only from widgets (a `<template id="page-…">`). */
const PAGES = ['home', 'borrow', 'repay', 'save', 'statements', 'send', 'move'] as const;
type Page = (typeof PAGES)[number];
let signedIn = false;

function pageFromHash(): Page {
  const name = location.hash.replace(/^#/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'home';
}

function showPage(page: Page): void {
  const template = document.getElementById(`page-${page}`) as HTMLTemplateElement;
  // The account widgets exist only once there is a session, so they never load signed out.
  home.replaceChildren(template.content.cloneNode(true));
  home.dataset.page = page;
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function showHome(): void {
  signedIn = true;
  signin.hidden = true;
  signout.hidden = false;
  nav.hidden = false;
  home.hidden = false;
  showPage(pageFromHash());
}

function showSignIn(): void {
  signedIn = false;
  home.hidden = true;
  home.replaceChildren();
  nav.hidden = true;
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

// Step-up: any widget (sign-in with TOTP, a transfer above the threshold, …) asks for a code; the
// portal asks the customer and hands it back through `retry`, or `cancel`s.
let pendingStepUp: WkStepUpRequiredDetail | undefined;
provider.addEventListener('wk-step-up-required', (event) => {
  pendingStepUp = event.detail;
  stepUpCode.value = '';
  stepUp.showModal();
});
stepUp.addEventListener('close', () => {
  const detail = pendingStepUp;
  pendingStepUp = undefined;
  if (!detail) return;
  if (stepUp.returnValue === 'verify' && /^[0-9]{6}$/.test(stepUpCode.value))
    void detail.retry(stepUpCode.value);
  else detail.cancel();
});

window.addEventListener('hashchange', () => {
  if (signedIn) showPage(pageFromHash());
});

locale.addEventListener('change', () => {
  provider.locale = locale.value === 'sw' ? 'sw' : 'en';
  document.documentElement.lang = provider.locale;
});
