import { WkLoanApplication } from '../components/loan-application/loan-application.ts';

/** Registers `<wk-loan-application>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-loan-application'))
  customElements.define('wk-loan-application', WkLoanApplication);

export { WkLoanApplication };

declare global {
  interface HTMLElementTagNameMap {
    'wk-loan-application': WkLoanApplication;
  }
}
