import { WkDeposit } from '../components/deposit/deposit.ts';
import './wk-amount-input.ts';

/** Registers `<wk-deposit>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-deposit')) customElements.define('wk-deposit', WkDeposit);

export { WkDeposit };

declare global {
  interface HTMLElementTagNameMap {
    'wk-deposit': WkDeposit;
  }
}
