import { APIError, ConnectionError } from '@wekeza/sdk';
import type { Problem } from './types.ts';

/** What a widget needs to know about a failure to explain it. */
export interface DescribedError {
  /** Problem code, or `network`, `unknown`. */
  code: string;
  problem?: Problem | undefined;
  requestId?: string | undefined;
  /** Field errors by the wire path's first segment (`amount`, `to_account_id`, …). */
  fields: Record<string, string>;
}

function isApiError(error: unknown): error is APIError {
  if (error instanceof APIError) return true;
  // A second copy of the SDK (two bundles on one page) still has the same shape.
  const candidate = error as Partial<APIError> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.status === 'number' &&
    typeof candidate.code === 'string' &&
    typeof candidate.problem === 'object'
  );
}

function isNetworkError(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'ConnectionError' || name === 'TimeoutError' || error instanceof TypeError;
}

/** Classifies anything a client call threw. */
export function describeError(error: unknown): DescribedError {
  if (isApiError(error)) {
    const fields: Record<string, string> = {};
    for (const issue of error.problem.errors ?? []) {
      const key = issue.path.split(/[.[/]/).find((segment) => segment !== '') ?? '';
      fields[key] ??= issue.message;
    }
    return { code: error.code, problem: error.problem, requestId: error.requestId, fields };
  }
  if (isNetworkError(error)) return { code: 'network', fields: {} };
  return { code: 'unknown', fields: {} };
}

/** True when a request that failed this way certainly had no effect, so a new attempt needs a new key. */
export function isDefinitiveFailure(error: unknown): boolean {
  if (!isApiError(error)) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 409;
}
