import type { Wekeza } from '@wekeza/sdk';
import { type StaffResources, staff } from '@wekeza/sdk/staff';
import { css, type PropertyValues } from 'lit';
import { interpolate, type Locale } from '../i18n/index.ts';
import type { StaffMessageKey, StaffMessages } from '../i18n/staff/en.ts';
import { setStaffMockLoader } from '../mock/staff-hook.ts';
import { WekezaElement } from './element.ts';

// Mock mode's staff side, loaded only when a mock client answers a staff request.
setStaffMockLoader(() => import('../mock/staff.ts').then((module) => new module.StaffMock()));

/**
 * What a staff widget needs from an SDK client (bankers and administrators). A `Wekeza` instance is
 * one; `<wk-provider>` hands down the same client the customer widgets use.
 */
export type StaffClient = Pick<Wekeza, 'loanApplications' | 'approvals' | 'auditEvents' | 'audit' | 'me'>;

/** Staff messages are a module of their own per locale, so the customer widgets never load them. */
const loaders: Record<Locale, () => Promise<{ default: StaffMessages }>> = {
  en: () => import('../i18n/staff/en.ts'),
  sw: () => import('../i18n/staff/sw.ts'),
};
const loaded = new Map<Locale, StaffMessages>();
const pending = new Map<Locale, Promise<StaffMessages>>();

/** Loads (once) the staff messages of `locale`. */
export function loadStaffMessages(locale: Locale): Promise<StaffMessages> {
  const done = loaded.get(locale);
  if (done) return Promise.resolve(done);
  let promise = pending.get(locale);
  if (promise === undefined) {
    promise = loaders[locale]().then((module) => {
      loaded.set(locale, module.default);
      pending.delete(locale);
      return module.default;
    });
    pending.set(locale, promise);
  }
  return promise;
}

/** Shared look of the staff widgets: tables, key figures, badges. */
export const staffStyles = css`
  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: start;
    padding-block: calc(var(--_wk-space) * 1.5);
    padding-inline: calc(var(--_wk-space) * 2);
    border-block-end: 1px solid var(--_wk-surface);
    vertical-align: top;
  }
  th {
    color: var(--_wk-muted);
    font-weight: 600;
  }
  .num {
    text-align: end;
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--_wk-space) calc(var(--_wk-space) * 4);
    margin: 0;
  }
  dl.facts dt {
    color: var(--_wk-muted);
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .badge {
    display: inline-block;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding-inline: calc(var(--_wk-space) * 2);
    font-size: 0.875em;
  }
  .grid {
    display: grid;
    gap: calc(var(--_wk-space) * 4);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
  }
  h3 {
    font-size: 1em;
    margin-block: calc(var(--_wk-space) * 4) calc(var(--_wk-space) * 2);
  }
  textarea {
    font: inherit;
    inline-size: 100%;
    color: var(--_wk-text);
    background: var(--_wk-surface);
    border: 1px solid var(--_wk-border);
    border-radius: var(--_wk-radius);
    padding: calc(var(--_wk-space) * 2);
    min-block-size: 4em;
  }
  textarea:focus-visible {
    outline: 3px solid var(--_wk-focus);
    outline-offset: 2px;
  }
  pre {
    overflow: auto;
    max-block-size: 20em;
    background: var(--_wk-surface);
    padding: calc(var(--_wk-space) * 2);
    border-radius: var(--_wk-radius);
    font-size: 0.875em;
  }
  button.link {
    background: none;
    border: none;
    color: var(--_wk-primary);
    text-decoration: underline;
    padding: 0;
    min-block-size: 0;
    text-align: start;
  }
  fieldset {
    border: none;
    padding: 0;
    margin: 0 0 calc(var(--_wk-space) * 4);
  }
  legend {
    font-weight: 600;
    margin-block-end: var(--_wk-space);
  }
  .choice {
    display: flex;
    gap: calc(var(--_wk-space) * 2);
    align-items: center;
    font-weight: 400;
  }
  .choice input {
    inline-size: auto;
    min-block-size: 0;
  }
  .good {
    color: var(--_wk-success);
  }
  ul.results,
  ul.plain {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  ul.results > li {
    padding-block: calc(var(--_wk-space) * 2);
    border-block-end: 1px solid var(--_wk-surface);
  }
  .scroll {
    max-inline-size: 100%;
  }
  td {
    overflow-wrap: break-word;
  }
  blockquote {
    margin: 0;
    padding-inline-start: calc(var(--_wk-space) * 3);
    border-inline-start: 3px solid var(--_wk-border);
  }
  summary {
    cursor: pointer;
    color: var(--_wk-primary);
  }
  h4 {
    margin-block: calc(var(--_wk-space) * 2) var(--_wk-space);
  }
  .bad {
    color: var(--_wk-danger);
  }
`;

/**
 * The base of the staff widgets (Customer 360, reviews, the approval queue, risk and audit): the
 * customer widgets' foundation plus the staff messages (loaded lazily per locale) and a typed
 * staff client. The bank decides what the signed-in member of staff may see; a widget shows a
 * 403/404 as the localized error it is.
 */
export class StaffElement extends WekezaElement {
  static override styles = [...WekezaElement.styles, staffStyles];

  #staffMessages: StaffMessages | undefined;
  #staffLocale: Locale | undefined;
  #loadedFor: unknown[] = [];
  #generation = 0;
  #staffResources: { client: unknown; resources: StaffResources } | undefined;

  /** What the data depends on besides the client and the provider's revision (e.g. an id). */
  protected loadKey(): unknown[] {
    return [];
  }

  /** Loads the data; called when the client, the revision or `loadKey()` changed. */
  protected load(): Promise<void> | void {}

  /** Starts a new load and answers a check that it is still the latest one. */
  protected begin(): () => boolean {
    const generation = ++this.#generation;
    return () => generation === this.#generation;
  }

  /** True once both message sets of the current locale are loaded. */
  protected get staffReady(): boolean {
    return (
      this.messages !== undefined &&
      this.#staffMessages !== undefined &&
      this.#staffLocale === this.activeLocale
    );
  }

  /** The client as a staff client (undefined when no client is connected). */
  protected get staffClient(): StaffClient | undefined {
    return this.activeClient as unknown as StaffClient | undefined;
  }

  /**
   * The staff-only resources of `@wekeza/sdk/staff` over the client (Risk Ops, staff search, the
   * Customer 360), kept out of the SDK's browser core; undefined when no client is connected.
   */
  protected get staffResources(): StaffResources | undefined {
    const client = this.activeClient;
    if (!client) return undefined;
    if (this.#staffResources?.client !== client)
      this.#staffResources = { client, resources: staff(client as unknown as Wekeza) };
    return this.#staffResources.resources;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const locale = this.activeLocale;
    if (this.#staffLocale !== locale) {
      void loadStaffMessages(locale).then((messages) => {
        if (this.activeLocale !== locale) return;
        this.#staffMessages = messages;
        this.#staffLocale = locale;
        this.requestUpdate();
      });
      return;
    }
    if (!this.staffReady || this.clientPending) return;
    const key = [this.activeClient, this.environment?.revision, ...this.loadKey()];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.load();
    }
  }

  /** A staff message of the current locale with `{name}` placeholders filled. */
  protected s(key: StaffMessageKey, params?: Record<string, string | number>): string {
    return interpolate(this.#staffMessages?.[key] ?? '', params);
  }

  /** A ratio (decimal string such as `"0.0412"`) as a percentage of the locale. */
  protected percent(ratio: string | number, digits = 2): string {
    const value = typeof ratio === 'number' ? ratio : Number(ratio);
    return new Intl.NumberFormat(this.intlLocale, {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  }

  protected number(value: number, digits = 0): string {
    return new Intl.NumberFormat(this.intlLocale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  }

  protected dateTime(value: string): string {
    return new Intl.DateTimeFormat(this.intlLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(value),
    );
  }
}
