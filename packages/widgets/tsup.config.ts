import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.ts';

const defines = [
  'wk-provider',
  'wk-login',
  'wk-wallet-balance',
  'wk-transactions',
  'wk-amount-input',
  'wk-transfer-form',
  // Borrow, Save and statements (issue 12).
  'wk-credit-limit',
  'wk-loan-application',
  'wk-loan-status',
  'wk-repayment',
  'wk-savings',
  'wk-fixed-deposit',
  'wk-statement',
  // Move money in and out (issue 14).
  'wk-deposit',
  'wk-withdraw',
  'all',
  'wk-customer-search',
  'wk-customer-360',
  'wk-application-review',
  'wk-approval-queue',
  'wk-audit-log',
  'wk-portfolio',
  'wk-model-governance',
  'wk-policy-editor',
  'staff',
];

export default defineConfig(
  tsupBase(
    {
      index: 'src/index.ts',
      staff: 'src/staff.ts',
      'react/index': 'src/react/index.ts',
      'mock/index': 'src/mock/index.ts',
      'mock/staff': 'src/mock/staff.ts',
      ...Object.fromEntries(defines.map((name) => [`define/${name}`, `src/define/${name}.ts`])),
    },
    {
      target: 'es2022',
      platform: 'browser',
      external: ['react', '@wekeza/sdk', 'lit', '@lit/context', '@lit/react', 'uplot'],
    },
  ),
);
