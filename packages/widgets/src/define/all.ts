/** Registers every Wekeza widget (for a single `<script type="module">`). */
import './wk-provider.ts';
import './wk-login.ts';
import './wk-wallet-balance.ts';
import './wk-transactions.ts';
import './wk-amount-input.ts';
import './wk-transfer-form.ts';
// Save, statements (issue 12)
import './wk-savings.ts';
import './wk-fixed-deposit.ts';
import './wk-statement.ts';
// Borrow (issue 12)
import './wk-credit-limit.ts';
import './wk-loan-application.ts';
import './wk-loan-status.ts';
import './wk-repayment.ts';
// Move money in and out (issue 14).
import './wk-deposit.ts';
import './wk-withdraw.ts';

export * from '../index.ts';
