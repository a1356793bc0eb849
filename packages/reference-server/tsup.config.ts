import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.ts';

export default defineConfig(
  tsupBase({ index: 'src/index.ts', cli: 'src/cli.ts', 'testing/index': 'src/testing/index.ts' }),
);
