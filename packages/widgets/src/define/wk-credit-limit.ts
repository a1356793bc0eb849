import { WkCreditLimit } from '../components/credit-limit/credit-limit.ts';

/** Registers `<wk-credit-limit>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-credit-limit')) customElements.define('wk-credit-limit', WkCreditLimit);

export { WkCreditLimit };

declare global {
  interface HTMLElementTagNameMap {
    'wk-credit-limit': WkCreditLimit;
  }
}
