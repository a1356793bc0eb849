import { WkCustomerSearch } from '../components/customer-search/customer-search.ts';

/** Registers `<wk-customer-search>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-customer-search')) customElements.define('wk-customer-search', WkCustomerSearch);

export { WkCustomerSearch };

declare global {
  interface HTMLElementTagNameMap {
    'wk-customer-search': WkCustomerSearch;
  }
}
