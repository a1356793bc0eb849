import { WkProvider } from '../components/provider/provider.ts';

/** Registers `<wk-provider>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-provider')) customElements.define('wk-provider', WkProvider);

export { WkProvider };

declare global {
  interface HTMLElementTagNameMap {
    'wk-provider': WkProvider;
  }
}
