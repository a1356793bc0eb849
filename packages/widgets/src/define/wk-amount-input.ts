import { WkAmountInput } from '../components/amount-input/amount-input.ts';

/** Registers `<wk-amount-input>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-amount-input')) customElements.define('wk-amount-input', WkAmountInput);

export { WkAmountInput };

declare global {
  interface HTMLElementTagNameMap {
    'wk-amount-input': WkAmountInput;
  }
}
