import { WekezaError } from '../core/errors.ts';

/**
 * Builds a request path, percent-encoding every interpolated segment:
 * path`/v1/accounts/${id}/transactions`. Empty, `.` and `..` values are refused so that an id can
 * never turn into another route (`/v1/accounts/` lists, `..` climbs).
 */
export function path(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new WekezaError(`Path parameter must be a string, got ${typeof value}`);
    }
    const text = String(value);
    if (text === '' || text === '.' || text === '..') {
      throw new WekezaError(`Path parameter ${JSON.stringify(text)} is not a valid id`);
    }
    out += encodeURIComponent(text) + (strings[index + 1] ?? '');
  });
  return out;
}

/** `?a=1&b_c=x` from the defined values (keys already in wire form); empty when none. */
export function queryString(query: Record<string, string | number | undefined> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
