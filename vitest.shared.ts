/** Settings every package's vitest project shares: resolve workspace packages to their sources. */
export const sharedResolve = { conditions: ['@wekeza/source', 'module', 'node', 'import', 'default'] };
