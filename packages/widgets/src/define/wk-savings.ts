import { WkSavings } from '../components/savings/savings.ts';

/** Registers `<wk-savings>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-savings')) customElements.define('wk-savings', WkSavings);

export { WkSavings };

declare global {
  interface HTMLElementTagNameMap {
    'wk-savings': WkSavings;
  }
}
