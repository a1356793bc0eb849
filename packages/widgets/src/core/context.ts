import { createContext } from '@lit/context';
import type { Locale } from '../i18n/index.ts';
import type { WidgetClient } from './types.ts';

/** What `<wk-provider>` hands to every widget inside it. A new object on every change. */
export interface WidgetEnvironment {
  /** The SDK client every request goes through (undefined until the provider has credentials). */
  client: WidgetClient | undefined;
  locale: Locale;
  /** Bumped whenever a widget inside the provider changed data (e.g. a transfer succeeded). */
  revision: number;
  /** True while the client is being prepared (mock mode loads its fixtures lazily): widgets wait. */
  pending: boolean;
}

export const environmentContext = createContext<WidgetEnvironment>(Symbol.for('wekeza.environment'));
