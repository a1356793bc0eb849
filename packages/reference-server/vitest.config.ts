import { defineProject } from 'vitest/config';
import { sharedResolve } from '../../vitest.shared.ts';

export default defineProject({
  resolve: sharedResolve,
 
  test: {
    name: 'reference-server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts its own bank on its own database; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
