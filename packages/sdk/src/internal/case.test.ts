import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as wire from '../contract/index.ts';
import { Money } from '../money/money.ts';
import type { Account, AccountClosure, CloseQuote, WithdrawalToWallet } from '../resources/accounts.ts';
import type { Approval } from '../resources/approvals.ts';
import type { AuditSealingStatus } from '../resources/audit-events.ts';
import type { AccessToken } from '../resources/auth.ts';
import type { CreditLimit } from '../resources/credit-limit.ts';
import type { Customer } from '../resources/customers.ts';
import type { DepositQuote } from '../resources/deposit-quotes.ts';
import type { Deposit } from '../resources/deposits.ts';
import type {
  Claim,
  InsuranceProduct,
  Policy,
  PolicyCancellation,
  PolicyQuote,
  Remittance,
} from '../resources/insurance.ts';
import type { LoanApplication } from '../resources/loan-applications.ts';
import type { LoanProduct } from '../resources/loan-products.ts';
import type { LoanQuote } from '../resources/loan-quotes.ts';
import type { Loan, LoanPayoff, LoanRepayment } from '../resources/loans.ts';
import type { Me } from '../resources/me.ts';
import type { Portfolio, PortfolioHistory } from '../resources/risk.ts';
import type { SandboxDeposit } from '../resources/sandbox.ts';
import type { SavingsProduct } from '../resources/savings-products.ts';
import type { Statement } from '../resources/statements.ts';
import type { Transaction } from '../resources/transactions.ts';
import type { Transfer } from '../resources/transfers.ts';
import type { WebhookEndpoint, WebhookEndpointCreated } from '../resources/webhook-endpoints.ts';
import type { Withdrawal } from '../resources/withdrawals.ts';
import { type FromWire, fromWire, toWire } from './case.ts';

describe('fromWire', () => {
  it('when keys are snake_case, then they come out camelCase at every depth', () => {
    expect(fromWire({ a_b: 1, nested_list: [{ c_d_e: 'x' }], n: null })).toEqual({
      aB: 1,
      nestedList: [{ cDE: 'x' }],
      n: null,
    });
  });

  it('when an object is { amount, currency }, then it becomes Money with bigint minor units', () => {
    const out = fromWire({ balance: { ledger: { amount: '1500.50', currency: 'KES' } } });
    expect(out.balance.ledger).toBeInstanceOf(Money);
    expect(out.balance.ledger.minor).toBe(150050n);
  });

  it('when the amount is negative, then it is kept signed', () => {
    expect(fromWire({ amount: { amount: '-5.00', currency: 'KES' } }).amount.minor).toBe(-500n);
  });
});

describe('toWire', () => {
  it('when params are camelCase, then keys go out snake_case and undefined fields are dropped', () => {
    expect(
      toWire({ fromAccountId: 'a', toAccountId: 'b', reference: undefined, nestedValue: { fullName: 'x' } }),
    ).toEqual({
      from_account_id: 'a',
      to_account_id: 'b',
      nested_value: { full_name: 'x' },
    });
  });

  it('when a value is Money, then it is serialised as a decimal string, never a number', () => {
    expect(toWire({ amount: Money.of(150050n, 'KES') })).toEqual({
      amount: { amount: '1500.50', currency: 'KES' },
    });
    expect(JSON.stringify(toWire({ amount: Money.of(1n, 'UGX') }))).toBe(
      '{"amount":{"amount":"1","currency":"UGX"}}',
    );
  });
});

describe('resource types', () => {
  it('when the contract changes, then the spelled-out SDK types must change with it', () => {
    expectTypeOf<AuditSealingStatus>().toEqualTypeOf<FromWire<wire.AuditSealingStatus>>();
    expectTypeOf<Account>().toEqualTypeOf<FromWire<wire.Account>>();
    expectTypeOf<Transaction>().toEqualTypeOf<FromWire<wire.Transaction>>();
    expectTypeOf<Transfer>().toEqualTypeOf<FromWire<wire.Transfer>>();
    expectTypeOf<SandboxDeposit>().toEqualTypeOf<FromWire<wire.SandboxDeposit>>();
    expectTypeOf<Customer>().toEqualTypeOf<FromWire<wire.Customer>>();
    expectTypeOf<Me>().toEqualTypeOf<FromWire<wire.Me>>();
    expectTypeOf<AccessToken>().toEqualTypeOf<FromWire<wire.TokenResponse>>();
    expectTypeOf<Deposit>().toEqualTypeOf<FromWire<wire.Deposit>>();
    expectTypeOf<Withdrawal>().toEqualTypeOf<FromWire<wire.Withdrawal>>();
    expectTypeOf<WebhookEndpoint>().toEqualTypeOf<FromWire<wire.WebhookEndpoint>>();
    expectTypeOf<WebhookEndpointCreated>().toEqualTypeOf<FromWire<wire.WebhookEndpointCreated>>();
    expectTypeOf<SavingsProduct>().toEqualTypeOf<FromWire<wire.SavingsProduct>>();
    expectTypeOf<DepositQuote>().toEqualTypeOf<FromWire<wire.DepositQuote>>();
    expectTypeOf<CloseQuote>().toEqualTypeOf<FromWire<wire.CloseQuote>>();
    expectTypeOf<AccountClosure>().toEqualTypeOf<FromWire<wire.AccountClosure>>();
    expectTypeOf<WithdrawalToWallet>().toEqualTypeOf<FromWire<wire.WithdrawalToWallet>>();
    expectTypeOf<Statement>().toEqualTypeOf<FromWire<wire.Statement>>();
    expectTypeOf<LoanProduct>().toEqualTypeOf<FromWire<wire.LoanProduct>>();
    expectTypeOf<LoanQuote>().toEqualTypeOf<FromWire<wire.LoanQuote>>();
    expectTypeOf<CreditLimit>().toEqualTypeOf<FromWire<wire.CreditLimit>>();
    expectTypeOf<LoanApplication>().toEqualTypeOf<FromWire<wire.LoanApplication>>();
    expectTypeOf<Approval>().toEqualTypeOf<FromWire<wire.Approval>>();
    expectTypeOf<Loan>().toEqualTypeOf<FromWire<wire.Loan>>();
    expectTypeOf<LoanPayoff>().toEqualTypeOf<FromWire<wire.LoanPayoff>>();
    expectTypeOf<LoanRepayment>().toEqualTypeOf<FromWire<wire.LoanRepayment>>();
    expectTypeOf<Portfolio>().toEqualTypeOf<FromWire<wire.Portfolio>>();
    expectTypeOf<PortfolioHistory>().toEqualTypeOf<FromWire<wire.PortfolioHistory>>();
    expectTypeOf<InsuranceProduct>().toEqualTypeOf<FromWire<wire.InsuranceProduct>>();
    expectTypeOf<PolicyQuote>().toEqualTypeOf<FromWire<wire.PolicyQuote>>();
    expectTypeOf<Policy>().toEqualTypeOf<FromWire<wire.Policy>>();
    expectTypeOf<PolicyCancellation>().toEqualTypeOf<FromWire<wire.PolicyCancellation>>();
    expectTypeOf<Claim>().toEqualTypeOf<FromWire<wire.Claim>>();
    expectTypeOf<Remittance>().toEqualTypeOf<FromWire<wire.Remittance>>();
  });
});
