import { WkLogin } from '../components/login/login.ts';

/** Registers `<wk-login>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-login')) customElements.define('wk-login', WkLogin);

export { WkLogin };

declare global {
  interface HTMLElementTagNameMap {
    'wk-login': WkLogin;
  }
}
