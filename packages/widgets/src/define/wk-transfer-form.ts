import { WkTransferForm } from '../components/transfer-form/transfer-form.ts';
import './wk-amount-input.ts';

/** Registers `<wk-transfer-form>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-transfer-form')) customElements.define('wk-transfer-form', WkTransferForm);

export { WkTransferForm };

declare global {
  interface HTMLElementTagNameMap {
    'wk-transfer-form': WkTransferForm;
  }
}
