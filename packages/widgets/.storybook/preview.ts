import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import '../src/define/all.ts';
import '../src/define/staff.ts';
import manifest from '../custom-elements.json' with { type: 'json' };
import { frameArgs, frameArgTypes, withMockProvider } from '../src/stories/support.ts';

// argTypes (attributes, properties, events, slots, CSS parts and custom properties) come from the
// custom-elements manifest the analyzer generates from the widgets' JSDoc.
setCustomElementsManifest(manifest);

const preview: Preview = {
  decorators: [withMockProvider],
  args: frameArgs,
  argTypes: frameArgTypes,
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    a11y: {
      // Fail the story (in the UI and in `storyFinished`) on any WCAG 2.1 A/AA violation.
      test: 'error',
      options: { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    },
  },
};

export default preview;
