import { WkStatement } from '../components/statement/statement.ts';

/** Registers `<wk-statement>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-statement')) customElements.define('wk-statement', WkStatement);

export { WkStatement };

declare global {
  interface HTMLElementTagNameMap {
    'wk-statement': WkStatement;
  }
}
