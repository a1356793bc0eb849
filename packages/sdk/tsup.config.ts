import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.ts';

export default defineConfig(
  tsupBase({
    index: 'src/index.ts',
    'contract/index': 'src/contract/index.ts',
    'rates/index': 'src/rates/index.ts',
    'audit/index': 'src/audit/index.ts',
    'insurance/index': 'src/insurance/index.ts',
    'staff/index': 'src/staff/index.ts',
  }),
);
