import { WkPolicyEditor } from '../components/policy-editor/policy-editor.ts';

/** Registers `<wk-policy-editor>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-policy-editor')) customElements.define('wk-policy-editor', WkPolicyEditor);

export { WkPolicyEditor };

declare global {
  interface HTMLElementTagNameMap {
    'wk-policy-editor': WkPolicyEditor;
  }
}
