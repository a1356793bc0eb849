import { WkApprovalQueue } from '../components/approval-queue/approval-queue.ts';

/** Registers `<wk-approval-queue>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-approval-queue')) customElements.define('wk-approval-queue', WkApprovalQueue);

export { WkApprovalQueue };

declare global {
  interface HTMLElementTagNameMap {
    'wk-approval-queue': WkApprovalQueue;
  }
}
