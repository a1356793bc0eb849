import { isCurrencyCode, parseAmount } from '@wekeza/sdk';

/** What one KYC tier allows, per currency, in minor units. */
export interface TierLimits {
  /** The most a customer may hold across their accounts in the currency. */
  maxBalanceMinor: bigint;
  /** The most a customer may send to others in one bank-local day. */
  dailyOutgoingMinor: bigint;
  /** The largest loan the tier may borrow. */
  loanCapMinor: bigint;
}

export type KycTier = 0 | 1 | 2;
export const KYC_TIERS: readonly KycTier[] = [0, 1, 2];

/** Limits per currency and tier. A currency without limits is refused for customer movements (fail closed). */
export type TierTable = Record<string, Record<KycTier, TierLimits>>;

const kes = (amount: string) => parseAmount(amount, 'KES');

/** DOMAIN.md defaults (KES): tier 0 phone only, tier 1 national ID, tier 2 verified by a banker. */
export const DEFAULT_TIERS: TierTable = {
  KES: {
    0: { maxBalanceMinor: kes('50000'), dailyOutgoingMinor: kes('20000'), loanCapMinor: kes('5000') },
    1: { maxBalanceMinor: kes('500000'), dailyOutgoingMinor: kes('150000'), loanCapMinor: kes('100000') },
    2: {
      maxBalanceMinor: kes('10000000'),
      dailyOutgoingMinor: kes('1000000'),
      loanCapMinor: kes('2000000'),
    },
  },
};

/** Step-up (TOTP) thresholds per currency; default KES 10,000. A currency without one needs step-up for every outgoing transfer. */
export const DEFAULT_STEP_UP: Record<string, bigint> = { KES: kes('10000') };

/**
 * Parses `WEKEZA_KYC_TIERS`: `{ "KES": { "0": { "max_balance": "50000.00", "daily_outgoing": "20000.00",
 * "loan_cap": "5000.00" }, "1": {…}, "2": {…} }, "USD": {…} }`. Every currency given needs all three tiers.
 */
export function parseTierTable(json: string): TierTable {
  const raw = JSON.parse(json) as Record<string, Record<string, Record<string, string>>>;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('must be a JSON object');
  const table: TierTable = {};
  for (const [currency, tiers] of Object.entries(raw)) {
    if (!isCurrencyCode(currency)) throw new Error(`unknown currency ${currency}`);
    const limits = {} as Record<KycTier, TierLimits>;
    for (const tier of KYC_TIERS) {
      const t = tiers?.[String(tier)];
      if (!t) throw new Error(`${currency} is missing tier ${tier}`);
      limits[tier] = {
        maxBalanceMinor: parseAmount(String(t.max_balance), currency),
        dailyOutgoingMinor: parseAmount(String(t.daily_outgoing), currency),
        loanCapMinor: parseAmount(String(t.loan_cap), currency),
      };
    }
    table[currency] = limits;
  }
  return table;
}

/** Parses `WEKEZA_STEP_UP_THRESHOLDS`: `{ "KES": "10000.00" }`. */
export function parseStepUp(json: string): Record<string, bigint> {
  const raw = JSON.parse(json) as Record<string, string>;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('must be a JSON object');
  const out: Record<string, bigint> = {};
  for (const [currency, amount] of Object.entries(raw)) {
    if (!isCurrencyCode(currency)) throw new Error(`unknown currency ${currency}`);
    out[currency] = parseAmount(String(amount), currency);
  }
  return out;
}
