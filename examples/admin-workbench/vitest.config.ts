import { defineProject } from 'vitest/config';
import { sharedResolve } from '../../vitest.shared.ts';

/** `admin-workbench`: the workbench against a real in-process bank, driven in Debian's Chromium. */
export default defineProject({
  resolve: sharedResolve,
  test: {
    name: 'admin-workbench',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 400_000,
    hookTimeout: 120_000,
  },
});
