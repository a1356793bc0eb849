import { WkApplicationReview } from '../components/application-review/application-review.ts';

/** Registers `<wk-application-review>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-application-review'))
  customElements.define('wk-application-review', WkApplicationReview);

export { WkApplicationReview };

declare global {
  interface HTMLElementTagNameMap {
    'wk-application-review': WkApplicationReview;
  }
}
