import type { Wekeza } from '@wekeza/sdk';

/**
 * What a widget needs from an SDK client. A `Wekeza` instance is one; tests and hosts may pass
 * anything of the same shape. Widgets never call `fetch` themselves: every request goes through it.
 */
export type WidgetClient = Pick<Wekeza, 'auth' | 'me' | 'accounts' | 'transactions' | 'transfers'>;

export type {
  AccessToken,
  Account,
  Me,
  Problem,
  Transaction,
  Transfer,
  TransferCreateParams,
} from '@wekeza/sdk';
