import { WkTransactions } from '../components/transactions/transactions.ts';

/** Registers `<wk-transactions>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-transactions')) customElements.define('wk-transactions', WkTransactions);

export { WkTransactions };

declare global {
  interface HTMLElementTagNameMap {
    'wk-transactions': WkTransactions;
  }
}
