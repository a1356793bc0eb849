import { WkWithdraw } from '../components/withdraw/withdraw.ts';
import './wk-amount-input.ts';

/** Registers `<wk-withdraw>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-withdraw')) customElements.define('wk-withdraw', WkWithdraw);

export { WkWithdraw };

declare global {
  interface HTMLElementTagNameMap {
    'wk-withdraw': WkWithdraw;
  }
}
