import type { MessageKey, Messages } from './en.ts';

export type { MessageKey, Messages };

/** The languages the widgets speak. */
export type Locale = 'en' | 'sw';
export const LOCALES: readonly Locale[] = ['en', 'sw'];

/** The `Intl` locale used for amounts and dates in each language (Kenyan conventions). */
export const INTL_LOCALES: Readonly<Record<Locale, string>> = { en: 'en-KE', sw: 'sw-KE' };

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'sw';
}

/** Each locale's messages are a separate module, imported only when first needed. */
const loaders: Record<Locale, () => Promise<{ default: Messages }>> = {
  en: () => import('./en.ts'),
  sw: () => import('./sw.ts'),
};

const loaded = new Map<Locale, Messages>();
const pending = new Map<Locale, Promise<Messages>>();

/** The messages of `locale` when already loaded (synchronously), else undefined. */
export function cachedMessages(locale: Locale): Messages | undefined {
  return loaded.get(locale);
}

/** Loads (once) and answers the messages of `locale`. */
export function loadMessages(locale: Locale): Promise<Messages> {
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

/** Fills `{name}` placeholders. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
