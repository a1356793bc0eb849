import type { Sql } from '../../db/database.ts';
import type { PaybillTarget } from '../rails/paybill.ts';
import type { LoansService } from './service.ts';

/**
 * Borrow as the rails' paybill target: a C2B payment whose account number is a loan number repays
 * that loan, once per rail receipt. Borrow posts the whole payment in one entry — what the loan
 * takes, and any excess straight to the owner's wallet — so it answers the whole amount as taken
 * and the rails credit nothing more. A loan in another currency than the payment is not a match.
 */
export function loanPaybillTarget(loans: LoansService): PaybillTarget {
  return {
    async repayByLoanNumber(tx, loanNumber, amountMinor, source) {
      const sql = tx as unknown as Sql;
      const [loan] = await sql.$queryRawUnsafe<{ currency: string }[]>(
        'SELECT currency FROM loans WHERE loan_number = ?',
        loanNumber,
      );
      if (!loan || String(loan.currency) !== source.currency) return undefined;
      const result = await loans.repayByLoanNumber(sql, loanNumber, amountMinor, {
        accountId: source.accountId,
        channel: source.rail,
        externalRef: source.receipt,
      });
      return result
        ? { loanId: result.loan.id, customerId: result.loan.customerId, appliedMinor: amountMinor }
        : undefined;
    },
  };
}
