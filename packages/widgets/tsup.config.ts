import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.ts';

const defines = [
  'wk-provider',
  'wk-login',
  'wk-wallet-balance',
  'wk-transactions',
  'wk-amount-input',
  'wk-transfer-form',
  // Move money in and out (issue 14).
  'wk-deposit',
  'wk-withdraw',
  'all',
];

export default defineConfig(
  tsupBase(
    {
      index: 'src/index.ts',
      'react/index': 'src/react/index.ts',
      'mock/index': 'src/mock/index.ts',
      ...Object.fromEntries(defines.map((name) => [`define/${name}`, `src/define/${name}.ts`])),
    },
    {
      target: 'es2022',
      platform: 'browser',
      external: ['react', '@wekeza/sdk', 'lit', '@lit/context', '@lit/react'],
    },
  ),
);
