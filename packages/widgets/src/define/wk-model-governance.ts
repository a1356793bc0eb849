import { WkModelGovernance } from '../components/model-governance/model-governance.ts';

/** Registers `<wk-model-governance>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-model-governance'))
  customElements.define('wk-model-governance', WkModelGovernance);

export { WkModelGovernance };

declare global {
  interface HTMLElementTagNameMap {
    'wk-model-governance': WkModelGovernance;
  }
}
