import { WkAuditLog } from '../components/audit-log/audit-log.ts';

/** Registers `<wk-audit-log>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-audit-log')) customElements.define('wk-audit-log', WkAuditLog);

export { WkAuditLog };

declare global {
  interface HTMLElementTagNameMap {
    'wk-audit-log': WkAuditLog;
  }
}
