import { defineProject } from 'vitest/config';
import { sharedResolve } from '../../vitest.shared.ts';

export default defineProject({ resolve: sharedResolve, test: { name: 'widgets', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
