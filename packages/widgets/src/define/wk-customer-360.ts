import { WkCustomer360 } from '../components/customer-360/customer-360.ts';

/** Registers `<wk-customer-360>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-customer-360')) customElements.define('wk-customer-360', WkCustomer360);

export { WkCustomer360 };

declare global {
  interface HTMLElementTagNameMap {
    'wk-customer-360': WkCustomer360;
  }
}
