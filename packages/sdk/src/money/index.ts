export {
  formatAmount,
  maxMinor,
  type ParseAmountOptions,
  parseAmount,
  tryParseAmount,
} from './amount.ts';
export {
  assertCurrencyCode,
  CURRENCIES,
  CURRENCY_CODES,
  type CurrencyCode,
  currencyExponent,
  isCurrencyCode,
} from './currency.ts';
export { isMoneyError, MoneyError, type MoneyErrorCode } from './errors.ts';
export { Money, type MoneyJSON, sumMoney } from './money.ts';
