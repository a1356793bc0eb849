import { css } from 'lit';

/**
 * The two-tier token set every widget adopts. Tier 1: private primitive colours (`--_wk-p-*`).
 * Tier 2: semantic tokens resolved into private `--_wk-*` names, each overridable through its public
 * `--wk-*` custom property; light and dark through `light-dark()` and `color-scheme`, which follows
 * `prefers-color-scheme` unless `--wk-color-scheme` (set by `<wk-provider>`'s appearance) says otherwise.
 */
export const tokens = css`
  :host {
    color-scheme: var(--wk-color-scheme, light dark);

    --_wk-p-white: #ffffff;
    --_wk-p-gray-50: #f8fafc;
    --_wk-p-gray-300: #d1d5db;
    --_wk-p-gray-400: #9ca3af;
    --_wk-p-gray-500: #6b7280;
    --_wk-p-gray-600: #4b5563;
    --_wk-p-gray-700: #374151;
    --_wk-p-gray-800: #1f2937;
    --_wk-p-gray-900: #111827;
    --_wk-p-gray-100: #f3f4f6;
    --_wk-p-green-200: #a7f3d0;
    --_wk-p-green-300: #6ee7b7;
    --_wk-p-green-700: #0b6e4f;
    --_wk-p-green-800: #065f46;
    --_wk-p-green-950: #022c22;
    --_wk-p-red-300: #fca5a5;
    --_wk-p-red-700: #b91c1c;
    --_wk-p-blue-300: #93c5fd;
    --_wk-p-blue-600: #2563eb;

    --_wk-primary: var(--wk-color-primary, light-dark(var(--_wk-p-green-700), var(--_wk-p-green-300)));
    --_wk-on-primary: var(--wk-color-on-primary, light-dark(var(--_wk-p-white), var(--_wk-p-green-950)));
    --_wk-bg: var(--wk-color-background, light-dark(var(--_wk-p-white), var(--_wk-p-gray-900)));
    --_wk-surface: var(--wk-color-surface, light-dark(var(--_wk-p-gray-50), var(--_wk-p-gray-800)));
    --_wk-text: var(--wk-color-text, light-dark(var(--_wk-p-gray-900), var(--_wk-p-gray-100)));
    --_wk-muted: var(--wk-color-text-muted, light-dark(var(--_wk-p-gray-600), var(--_wk-p-gray-400)));
    --_wk-border: var(--wk-color-border, light-dark(var(--_wk-p-gray-500), var(--_wk-p-gray-500)));
    --_wk-danger: var(--wk-color-danger, light-dark(var(--_wk-p-red-700), var(--_wk-p-red-300)));
    --_wk-success: var(--wk-color-success, light-dark(var(--_wk-p-green-800), var(--_wk-p-green-200)));
    --_wk-focus: var(--wk-color-focus, light-dark(var(--_wk-p-blue-600), var(--_wk-p-blue-300)));
    --_wk-font: var(--wk-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_wk-font-size: var(--wk-font-size, 1rem);
    --_wk-radius: var(--wk-border-radius, 0.5rem);
    --_wk-space: var(--wk-spacing, 0.25rem);
  }
`;

/** Shared element styles: logical properties only, visible focus, no inline styles anywhere. */
export const base = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--_wk-font);
    font-size: var(--_wk-font-size);
    line-height: 1.5;
    color: var(--_wk-text);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [part~='base'] {
    background: var(--_wk-bg);
    border: 1px solid var(--_wk-border);
    border-radius: var(--_wk-radius);
    padding-block: calc(var(--_wk-space) * 4);
    padding-inline: calc(var(--_wk-space) * 5);
  }
  h2 {
    font-size: 1.125em;
    margin-block: 0 calc(var(--_wk-space) * 3);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--_wk-radius);
    padding-block: calc(var(--_wk-space) * 2);
    padding-inline: calc(var(--_wk-space) * 4);
    border: 1px solid var(--_wk-primary);
    background: var(--_wk-primary);
    color: var(--_wk-on-primary);
    min-block-size: 2.75em;
  }
  button.secondary {
    background: transparent;
    color: var(--_wk-primary);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--_wk-focus);
    outline-offset: 2px;
  }
  label {
    display: block;
    font-weight: 600;
    margin-block-end: var(--_wk-space);
  }
  input,
  select {
    font: inherit;
    inline-size: 100%;
    color: var(--_wk-text);
    background: var(--_wk-surface);
    border: 1px solid var(--_wk-border);
    border-radius: var(--_wk-radius);
    padding-block: calc(var(--_wk-space) * 2);
    padding-inline: calc(var(--_wk-space) * 3);
    min-block-size: 2.75em;
  }
  input[aria-invalid='true'] {
    border-color: var(--_wk-danger);
  }
  .field {
    margin-block-end: calc(var(--_wk-space) * 4);
  }
  .field-error,
  [part~='error'] {
    color: var(--_wk-danger);
    margin-block: var(--_wk-space) 0;
  }
  [part~='status'] {
    color: var(--_wk-success);
  }
  .muted {
    color: var(--_wk-muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_wk-space) * 2);
    margin-block-start: calc(var(--_wk-space) * 4);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [aria-busy='true'] {
    cursor: progress;
  }
`;
