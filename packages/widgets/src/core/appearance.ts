/**
 * The typed appearance object of `<wk-provider>` (Stripe-style): named variables that become
 * public `--wk-*` custom properties, and a colour scheme.
 */
export interface AppearanceVariables {
  /** `--wk-color-primary`: buttons, links, focus accents. */
  colorPrimary: string;
  /** `--wk-color-on-primary`: text on primary buttons. */
  colorOnPrimary: string;
  /** `--wk-color-background`: widget background. */
  colorBackground: string;
  /** `--wk-color-surface`: inputs, cards inside a widget. */
  colorSurface: string;
  /** `--wk-color-text`. */
  colorText: string;
  /** `--wk-color-text-muted`: labels, secondary text. */
  colorTextMuted: string;
  /** `--wk-color-border`. */
  colorBorder: string;
  /** `--wk-color-danger`: errors, money out. */
  colorDanger: string;
  /** `--wk-color-success`: confirmations, money in. */
  colorSuccess: string;
  /** `--wk-color-focus`: the focus ring. */
  colorFocus: string;
  /** `--wk-font-family`. */
  fontFamily: string;
  /** `--wk-font-size`: base font size. */
  fontSize: string;
  /** `--wk-border-radius`. */
  borderRadius: string;
  /** `--wk-spacing`: the base spacing unit (others are multiples). */
  spacing: string;
}

export type ColorScheme = 'light' | 'dark' | 'auto';

export interface Appearance {
  /** `auto` (default) follows `prefers-color-scheme`. */
  colorScheme?: ColorScheme;
  variables?: Partial<AppearanceVariables>;
}

/** The custom property each appearance variable sets. */
export const APPEARANCE_PROPERTIES: Readonly<Record<keyof AppearanceVariables, string>> = {
  colorPrimary: '--wk-color-primary',
  colorOnPrimary: '--wk-color-on-primary',
  colorBackground: '--wk-color-background',
  colorSurface: '--wk-color-surface',
  colorText: '--wk-color-text',
  colorTextMuted: '--wk-color-text-muted',
  colorBorder: '--wk-color-border',
  colorDanger: '--wk-color-danger',
  colorSuccess: '--wk-color-success',
  colorFocus: '--wk-color-focus',
  fontFamily: '--wk-font-family',
  fontSize: '--wk-font-size',
  borderRadius: '--wk-border-radius',
  spacing: '--wk-spacing',
};

const SCHEMES: Record<ColorScheme, string> = { light: 'light', dark: 'dark', auto: 'light dark' };

/**
 * Writes `appearance` into `rule` (a `:host {}` rule of a constructable stylesheet) with CSSOM
 * `setProperty`, which takes a value as one declaration and can never inject other rules; unknown
 * keys and values with `;{}<>` or `url(` are ignored. No inline style attribute is ever set.
 */
export function applyAppearance(rule: CSSStyleRule, appearance: Appearance | undefined): void {
  const style = rule.style;
  for (const property of Object.values(APPEARANCE_PROPERTIES)) style.removeProperty(property);
  const variables = appearance?.variables ?? {};
  for (const [key, property] of Object.entries(APPEARANCE_PROPERTIES)) {
    const value = variables[key as keyof AppearanceVariables];
    if (typeof value === 'string' && value.length <= 200 && !/[;{}<>\\]|url\(/i.test(value)) {
      style.setProperty(property, value);
    }
  }
  style.setProperty('--wk-color-scheme', SCHEMES[appearance?.colorScheme ?? 'auto'] ?? 'light dark');
}
