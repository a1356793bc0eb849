import { defineProject } from 'vitest/config';
import { sharedResolve } from '../../vitest.shared.ts';

/** `customer-portal`: the portal against a real in-process bank, driven in Debian's Chromium. */
export default defineProject({
  resolve: sharedResolve,
  test: {
    name: 'customer-portal',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
