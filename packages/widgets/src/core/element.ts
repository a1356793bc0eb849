import { ContextConsumer } from '@lit/context';
import type { Money } from '@wekeza/sdk';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import {
  cachedMessages,
  INTL_LOCALES,
  interpolate,
  isLocale,
  type Locale,
  loadMessages,
  type MessageKey,
  type Messages,
} from '../i18n/index.ts';
import { base, tokens } from '../styles/tokens.ts';
import { formatDate, formatMoney } from './amount-format.ts';
import { environmentContext, type WidgetEnvironment } from './context.ts';
import { type DescribedError, describeError } from './errors.ts';
import { emit, type WekezaEventMap } from './events.ts';
import type { WidgetClient } from './types.ts';

/**
 * The base of every Wekeza widget: takes the SDK client, locale and data revision from the nearest
 * `<wk-provider>` (through `@lit/context`, re-rendering when they change), loads the locale's
 * messages lazily, and formats money and dates through `Intl`. A `client` property or `locale`
 * attribute on the widget itself wins over the provider's.
 */
export class WekezaElement extends LitElement {
  static override styles = [tokens, base];

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    locale: { type: String, reflect: true },
    environment: { state: true },
    messages: { state: true },
  };

  /** An SDK client for this widget alone (otherwise the provider's). */
  declare client: WidgetClient | undefined;
  /** `en` or `sw` for this widget alone (otherwise the provider's, else `en`). */
  declare locale: Locale | undefined;
  /** What the provider hands down. */
  declare protected environment: WidgetEnvironment | undefined;
  /** The messages of the current locale, once loaded. */
  declare protected messages: Messages | undefined;

  #readyFired = false;
  #clientWaiters: (() => void)[] = [];

  constructor() {
    super();
    new ContextConsumer(this, {
      context: environmentContext,
      subscribe: true,
      callback: (environment) => {
        this.environment = environment;
        if (!environment.pending) for (const resolve of this.#clientWaiters.splice(0)) resolve();
      },
    });
  }

  /** The client in use: the widget's own or the provider's. */
  get activeClient(): WidgetClient | undefined {
    return this.client ?? this.environment?.client;
  }

  /** True while the provider is still preparing the client: data widgets wait instead of failing. */
  protected get clientPending(): boolean {
    return this.client === undefined && this.environment?.pending === true;
  }

  /** The client, once the provider has prepared it (resolves at once when it is not preparing one). */
  protected async whenClient(): Promise<WidgetClient | undefined> {
    if (this.clientPending) await new Promise<void>((resolve) => this.#clientWaiters.push(resolve));
    return this.activeClient;
  }

  /** The language in use. */
  get activeLocale(): Locale {
    if (isLocale(this.locale)) return this.locale;
    return this.environment?.locale ?? 'en';
  }

  /** The `Intl` locale for amounts and dates. */
  protected get intlLocale(): string {
    return INTL_LOCALES[this.activeLocale];
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const locale = this.activeLocale;
    const messages = cachedMessages(locale);
    if (messages !== undefined) {
      this.messages = messages;
    } else {
      void loadMessages(locale).then((loaded) => {
        if (this.activeLocale === locale) this.messages = loaded;
      });
    }
  }

  /** A message of the current locale with `{name}` placeholders filled. */
  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return interpolate(this.messages?.[key] ?? '', params);
  }

  protected money(value: Money, signDisplay: 'auto' | 'always' | 'exceptZero' = 'auto'): string {
    return formatMoney(value, this.intlLocale, signDisplay);
  }

  protected date(value: string): string {
    return formatDate(value, this.intlLocale);
  }

  /** Fires a typed, bubbling, composed event. */
  protected emit<K extends keyof WekezaEventMap>(type: K, detail: WekezaEventMap[K]['detail']): boolean {
    return emit(this, type, detail);
  }

  /** Fires `wk-ready` once per connection. */
  protected markReady(): void {
    if (this.#readyFired) return;
    this.#readyFired = true;
    this.emit('wk-ready', { widget: this.localName });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#readyFired = false;
  }

  /** The localized text for a failure. */
  protected errorMessage(described: DescribedError): string {
    const key = `error.${described.code}` as MessageKey;
    return this.messages?.[key] !== undefined ? this.t(key) : this.t('error.unknown');
  }

  /** Describes `error`, fires `wk-error` and answers the description and its localized message. */
  protected reportError(error: unknown, code?: string): DescribedError & { message: string } {
    const described = code === undefined ? describeError(error) : { code, fields: {} };
    const message = this.errorMessage(described);
    this.emit('wk-error', {
      code: described.code,
      message,
      problem: described.problem,
      requestId: described.requestId,
      error,
    });
    return { ...described, message };
  }
}
