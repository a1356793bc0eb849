import { WkPortfolio } from '../components/portfolio/portfolio.ts';

/** Registers `<wk-portfolio>` (once; a second copy of this file on the page is harmless). */
if (!customElements.get('wk-portfolio')) customElements.define('wk-portfolio', WkPortfolio);

export { WkPortfolio };

declare global {
  interface HTMLElementTagNameMap {
    'wk-portfolio': WkPortfolio;
  }
}
