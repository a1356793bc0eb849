/** Registers every Wekeza widget (for a single `<script type="module">`). */
import './wk-provider.ts';
import './wk-login.ts';
import './wk-wallet-balance.ts';
import './wk-transactions.ts';
import './wk-amount-input.ts';
import './wk-transfer-form.ts';

export * from '../index.ts';
