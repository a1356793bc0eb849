import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.ts';

export default defineConfig(tsupBase({ index: 'src/index.ts' }, { target: 'es2022', platform: 'browser' }));
