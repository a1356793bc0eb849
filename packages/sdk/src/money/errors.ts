/** Stable machine codes for every way a money operation can fail. */
export type MoneyErrorCode =
  | 'invalid_amount'
  | 'unknown_currency'
  | 'currency_mismatch'
  | 'amount_out_of_range'
  | 'invalid_ratios';

/** The only error the money module throws. Check `code`, not `message`. */
export class MoneyError extends Error {
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string = code) {
    super(message);
    this.name = 'MoneyError';
    this.code = code;
  }
}

/** True when `error` is a MoneyError (optionally with the given code). */
export function isMoneyError(error: unknown, code?: MoneyErrorCode): error is MoneyError {
  return error instanceof MoneyError && (code === undefined || error.code === code);
}

/** Quote a caller-supplied value for an error message without echoing megabytes of it. */
export function describeInput(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  return typeof value;
}
