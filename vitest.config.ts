import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
    // Each server test file starts its own bank on its own database; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
