import { formatAmount } from '@wekeza/sdk';

/** Money on the wire: a decimal string and its currency, never a JSON number. */
export function money(minor: bigint, currency: string): { amount: string; currency: string } {
  return { amount: formatAmount(minor, currency), currency };
}

export const timestamp = (date: Date) => date.toISOString();
