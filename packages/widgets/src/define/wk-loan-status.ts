import { WkLoanStatus } from '../components/loan-status/loan-status.ts';

/** Registers `<wk-loan-status>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-loan-status')) customElements.define('wk-loan-status', WkLoanStatus);

export { WkLoanStatus };

declare global {
  interface HTMLElementTagNameMap {
    'wk-loan-status': WkLoanStatus;
  }
}
