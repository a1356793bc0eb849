import { playwright } from '@vitest/browser-playwright';
import { defineProject, type Plugin, type TestProjectInlineConfiguration } from 'vitest/config';
import { sharedResolve } from '../../vitest.shared.ts';

const root = import.meta.dirname;

/** Debian's Chromium, never a downloaded browser. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** `widgets-browser`: the widgets in real Chromium (vitest browser mode through Playwright). */
const browserProject: TestProjectInlineConfiguration = {
  root,
  resolve: sharedResolve,
  optimizeDeps: { include: ['lit', '@lit/context', '@lit/react', 'react', 'react-dom/client', 'axe-core'] },
  test: {
    name: 'widgets-browser',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: chromiumLaunchOptions }),
      instances: [{ browser: 'chromium' }],
      viewport: { width: 900, height: 900 },
      screenshotFailures: false,
    },
  },
};

const injectBrowserProject: Plugin = {
  name: 'wekeza:widgets-browser-project',
  async configureVitest({ injectTestProjects }) {
    await injectTestProjects(browserProject);
  },
};

/**
 * `widgets-unit` runs in Node (pure parsers/formatters, the mock bank, the CSP page through
 * playwright-core); it injects `widgets-browser`, because the root config's `packages/*` glob gives
 * each package directory one config file. Run both: `npx vitest run --project 'widgets*'`.
 */
export default defineProject({
  resolve: sharedResolve,
  plugins: [injectBrowserProject],
  test: {
    name: 'widgets-unit',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.node.test.ts'],
    testTimeout: 60_000,
  },
});
