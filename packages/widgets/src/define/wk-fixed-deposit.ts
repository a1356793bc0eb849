import { WkFixedDeposit } from '../components/fixed-deposit/fixed-deposit.ts';

/** Registers `<wk-fixed-deposit>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-fixed-deposit')) customElements.define('wk-fixed-deposit', WkFixedDeposit);

export { WkFixedDeposit };

declare global {
  interface HTMLElementTagNameMap {
    'wk-fixed-deposit': WkFixedDeposit;
  }
}
