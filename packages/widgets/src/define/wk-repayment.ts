import { WkRepayment } from '../components/repayment/repayment.ts';

/** Registers `<wk-repayment>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-repayment')) customElements.define('wk-repayment', WkRepayment);

export { WkRepayment };

declare global {
  interface HTMLElementTagNameMap {
    'wk-repayment': WkRepayment;
  }
}
