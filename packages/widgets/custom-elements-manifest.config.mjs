/**
 * `pnpm --filter @wekeza/widgets manifest` writes custom-elements.json from the widgets' JSDoc
 * (`@fires`, `@csspart`, `@cssprop`, `@slot`) and their Lit `static properties`, through the
 * analyzer's Lit plugin (`litelement: true`). Storybook reads every story's argTypes from it.
 */

/**
 * Keeps the public API only: Lit `state: true` properties (declared `private`/`protected`) are
 * internal reactive state, not attributes; static class fields are not element members.
 */
const publicApiOnly = {
  name: 'wekeza:public-api-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      for (const declaration of mod.declarations ?? []) {
        if (declaration.kind !== 'class') continue;
        const hidden = new Set(
          (declaration.members ?? [])
            .filter((m) => m.privacy === 'private' || m.privacy === 'protected' || m.static)
            .map((m) => m.name),
        );
        declaration.members = (declaration.members ?? []).filter((m) => !hidden.has(m.name));
        if (declaration.attributes) {
          declaration.attributes = declaration.attributes.filter((a) => !hidden.has(a.fieldName));
        }
      }
    }
  },
};

export default {
  globs: ['src/components/**/*.ts', 'src/core/element.ts', 'src/define/*.ts'],
  exclude: ['**/*.test.ts', '**/*.stories.ts', 'src/define/all.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [publicApiOnly],
};
