import { WkWalletBalance } from '../components/wallet-balance/wallet-balance.ts';

/** Registers `<wk-wallet-balance>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-wallet-balance')) customElements.define('wk-wallet-balance', WkWalletBalance);

export { WkWalletBalance };

declare global {
  interface HTMLElementTagNameMap {
    'wk-wallet-balance': WkWalletBalance;
  }
}
