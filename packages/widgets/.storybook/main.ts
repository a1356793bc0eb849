import type { StorybookConfig } from '@storybook/web-components-vite';
import { defaultClientConditions, mergeConfig } from 'vite';

/**
 * Storybook 10 for the widgets: one stories file per widget (`src/components/<name>/<name>.stories.ts`),
 * every story in mock mode. `pnpm storybook` (dev, port 6006) and `pnpm build-storybook` both
 * regenerate `custom-elements.json` first; `preview.ts` turns it into argTypes.
 */
const config: StorybookConfig = {
  stories: ['../src/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // No onboarding checklist (sidebar or menu): designers open this Storybook to review the widgets.
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  async viteFinal(viteConfig) {
    // Workspace packages (`@wekeza/sdk`) resolve to their sources, as in the tests: no build first.
    return mergeConfig(viteConfig, {
      resolve: { conditions: ['@wekeza/source', ...defaultClientConditions] },
    });
  },
};

export default config;
