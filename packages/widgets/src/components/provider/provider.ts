import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { markAnonymous } from '../../core/anonymous.ts';
import { type Appearance, applyAppearance } from '../../core/appearance.ts';
import { environmentContext, type WidgetEnvironment } from '../../core/context.ts';
import type { WidgetClient } from '../../core/types.ts';
import { cachedMessages, isLocale, type Locale, loadMessages } from '../../i18n/index.ts';
import type { MockBank } from '../../mock/bank.ts';

/**
 * Hands an SDK client, a locale and an appearance to every Wekeza widget inside it (through
 * `@lit/context`). Widgets never call `fetch`: every request goes through this client.
 *
 * The client is, in order of precedence: the `client` property; a mock client over built-in
 * fixtures when `mode="mock"`; or a client for `base-url` authenticated with `token` or the
 * `getSession` property. Changing `locale` re-renders every widget in the new language; a
 * `wk-success` from a transfer inside bumps a revision so balances and lists refresh themselves.
 *
 * @slot - The widgets (and any other content).
 * @cssprop --wk-color-scheme - `light`, `dark` or `light dark` (set from `appearance.colorScheme`).
 * @cssprop --wk-color-primary - And every other `--wk-*` variable: set from `appearance.variables`
 *   and inherited by the widgets inside.
 */
export class WkProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  static override properties: PropertyDeclarations = {
    baseUrl: { type: String, attribute: 'base-url' },
    token: { type: String },
    locale: { type: String, reflect: true },
    mode: { type: String, reflect: true },
    client: { attribute: false },
    getSession: { attribute: false },
    appearance: { attribute: false },
    mockBank: { attribute: false },
  };

  /** The Wekeza API base URL, e.g. `https://api.example.com` (no `/v1`). */
  declare baseUrl: string | undefined;
  /** A bearer token (from `<wk-login>`'s `wk-success`, or a widget session from your back end). */
  declare token: string | undefined;
  /** `en` (default) or `sw`. */
  declare locale: Locale;
  /** `mock`: answer every request from built-in fixtures, no server needed. */
  declare mode: 'live' | 'mock' | undefined;
  /** A ready SDK client (wins over everything else). */
  declare client: WidgetClient | undefined;
  /** Called for a bearer token (again after a 401); the host's session endpoint. */
  declare getSession: (() => Promise<string>) | undefined;
  /** Colours, fonts, radius and colour scheme. */
  declare appearance: Appearance | undefined;
  /** The in-memory bank of mock mode (created on first use; set one to share or inspect it). */
  declare mockBank: MockBank | undefined;

  #revision = 0;
  #sheet: CSSStyleSheet | undefined;
  #ownBank: MockBank | undefined;
  #pending = false;
  /** The locale whose messages are loaded and published; a newly set one follows once loaded. */
  #publishedLocale: Locale | undefined;
  #clientVersion = 0;
  #activeClient: WidgetClient | undefined;
  #provider = new ContextProvider(this, { context: environmentContext, initialValue: this.#environment() });

  constructor() {
    super();
    this.locale = 'en';
    this.addEventListener('wk-success', (event) => {
      // Money moved (a transfer, a loan disbursed, a repayment): balances and lists reload.
      if (
        event.detail.kind === 'transfer' ||
        event.detail.kind === 'loan' ||
        event.detail.kind === 'repayment' ||
        // Save (issue 12): an account opened or closed, money moved in or out of savings.
        event.detail.kind === 'savings-opened' ||
        event.detail.kind === 'savings-moved' ||
        event.detail.kind === 'fixed-deposit-opened' ||
        event.detail.kind === 'fixed-deposit-closed' ||
        // Staff (issue 13): an override or an approval changed an application or a loan.
        event.detail.kind === 'override' ||
        event.detail.kind === 'approval'
      ) {
        this.#revision += 1;
        this.#publish();
      }
    });
    // Money moved over a rail (issue 14): widgets reload even where the event stream is unavailable.
    this.addEventListener('wk-success', (event) => {
      if (event.detail.kind === 'deposit' || event.detail.kind === 'withdrawal') this.refresh();
    });
  }

  /** The client the widgets use right now. */
  get activeClient(): WidgetClient | undefined {
    return this.#activeClient;
  }

  /** Tells every widget inside to reload its data (e.g. after a change made elsewhere). */
  refresh(): void {
    this.#revision += 1;
    this.#publish();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.renderRoot as ShadowRoot;
    if (this.#sheet === undefined && 'adoptedStyleSheets' in root) {
      this.#sheet = new CSSStyleSheet();
      this.#sheet.replaceSync(':host {}');
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.#sheet];
      this.#applyAppearance();
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (
      changed.has('client') ||
      changed.has('mode') ||
      changed.has('baseUrl') ||
      changed.has('token') ||
      changed.has('getSession') ||
      changed.has('mockBank')
    ) {
      this.#prepareClient();
    }
    if (changed.has('appearance')) this.#applyAppearance();
    if (changed.has('locale') && isLocale(this.locale) && !cachedMessages(this.locale)) {
      // Load the messages before the new locale is published, so widgets switch language in one
      // render. Until then they keep the language they have, and they are still told about the
      // client (a widget that hears nothing would report itself unconnected).
      const locale = this.locale;
      this.#publishedLocale ??= 'en';
      void loadMessages(locale).then(() => {
        if (this.locale !== locale) return;
        this.#publishedLocale = locale;
        this.#publish();
      });
    } else if (isLocale(this.locale)) {
      this.#publishedLocale = this.locale;
    }
    this.#publish();
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /**
   * Sets the active client. The SDK client and mock mode's fixtures are separate chunks, loaded on
   * first use (so a page that only shows widgets with a host-made client never loads them); widgets
   * wait (`pending`) meanwhile instead of failing.
   */
  #prepareClient(): void {
    const version = ++this.#clientVersion;
    this.#activeClient = this.client;
    this.#pending = false;
    if (this.client || (this.mode !== 'mock' && !this.baseUrl)) return;
    this.#pending = true;
    void this.#loadClient().then((client) => {
      if (version !== this.#clientVersion) return;
      this.#activeClient = client;
      this.#pending = false;
      this.#publish();
    });
  }

  async #loadClient(): Promise<WidgetClient> {
    if (this.mode === 'mock') {
      const { MockBank, createMockClient } = await import('../../mock/index.ts');
      this.#ownBank ??= new MockBank();
      return createMockClient(this.mockBank ?? this.#ownBank);
    }
    const { Wekeza } = await import('@wekeza/sdk');
    const baseUrl = this.baseUrl as string;
    const token = this.token;
    const getSession = this.getSession;
    if (token) return new Wekeza({ baseUrl, auth: { token } });
    if (getSession) return new Wekeza({ baseUrl, auth: { getSession } });
    // No credentials yet: enough for `<wk-login>` (public `auth.token`).
    return markAnonymous(new Wekeza({ baseUrl }));
  }

  #environment(): WidgetEnvironment {
    return {
      client: this.#activeClient,
      locale: this.#publishedLocale ?? 'en',
      revision: this.#revision,
      pending: this.#pending,
    };
  }

  #publish(): void {
    this.#provider.setValue(this.#environment());
  }

  #applyAppearance(): void {
    const rule = this.#sheet?.cssRules[0];
    if (rule instanceof CSSStyleRule) applyAppearance(rule, this.appearance);
  }
}
