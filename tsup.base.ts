import type { Options } from 'tsup';

/** The one tsup configuration every package builds with: ESM + CJS + type declarations. */
export function tsupBase(entry: Options['entry'], overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
    esbuildOptions(options) {
      options.conditions = ['@wekeza/source'];
    },
    ...overrides,
  };
}
