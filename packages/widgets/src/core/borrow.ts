import type { CreditReason, LoanStatus } from '@wekeza/sdk';
import type { MessageKey, Messages } from '../i18n/index.ts';

/**
 * Plain-language reasons (en/sw) for the bank's reason codes: a model reason code is a feature stem
 * and a direction (`INFLOW_VOLATILITY_HIGH`), a policy rule a dotted name turned into a code
 * (`KYC_TIER_CAP`). Each known stem has a reason and a "what you can do" message; anything else falls
 * back to a generic one, never to the server's technical text.
 */
export function reasonStem(code: string): string {
  return code.replace(/_(LOW|HIGH|MISSING|CATEGORY)$/, '');
}

export function reasonKeys(
  reason: CreditReason,
  messages: Messages | undefined,
): { reason: MessageKey; improve: MessageKey } {
  const stem = reasonStem(reason.code);
  const known = messages !== undefined && `reason.${stem}` in messages;
  return known
    ? { reason: `reason.${stem}` as MessageKey, improve: `improve.${stem}` as MessageKey }
    : { reason: 'reason.other', improve: 'improve.other' };
}

/** The customer-facing label of a loan status (WIP, Disbursed, Credited, In arrears, Closed, Written off). */
export function loanStatusKey(status: LoanStatus): MessageKey {
  return `loan.status.${status}` as MessageKey;
}

/** Loans a customer can still repay. */
export function isRepayable(status: LoanStatus): boolean {
  return status === 'active' || status === 'in_arrears' || status === 'disbursed';
}

/** `"0.18"` → `"18%"` in the locale (no floating point on the way: a decimal string in, Intl out). */
export function formatRate(rate: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    rate as `${number}`,
  );
}
