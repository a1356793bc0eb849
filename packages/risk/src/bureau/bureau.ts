/**
 * The credit reference bureau (CRB) contract. A bank plugs in its bureau's client behind this
 * interface; the sandbox bureau answers deterministically for tests and demos.
 */

/** clean: a file with no adverse listing; thin_file: too little history to judge;
 * negative: at least one adverse listing; unavailable: the bureau did not answer in time. */
export type BureauStatus = 'clean' | 'thin_file' | 'negative' | 'unavailable';

export interface NegativeListing {
  lender: string;
  /** Amount in arrears, in minor units. */
  amountMinor: bigint;
  listedOn: string;
  reason: string;
}

export interface BureauReport {
  nationalId: string;
  status: BureauStatus;
  /** Credit accounts on file (open or closed). */
  accountsOnFile: number;
  /** Worst days past due reported by any lender in the last 24 months. */
  worstDaysPastDue: number;
  /** Credit enquiries by lenders in the last 90 days. */
  enquiriesLast90Days: number;
  negativeListings: NegativeListing[];
  /** Which bureau answered ("sandbox", a CRB's name, …). */
  source: string;
  /** Why the report is unavailable, when it is. */
  error?: string;
}

export interface BureauLookupOptions {
  signal?: AbortSignal;
}

export interface CreditBureau {
  readonly name: string;
  /** Fetches the report for a national ID; rejects on timeout, abort or transport failure. */
  lookup(nationalId: string, options?: BureauLookupOptions): Promise<BureauReport>;
}

export class BureauTimeoutError extends Error {
  readonly code = 'BUREAU_TIMEOUT';
  constructor(
    readonly bureau: string,
    readonly timeoutMs: number,
  ) {
    super(`credit bureau "${bureau}" did not answer within ${timeoutMs} ms`);
    this.name = 'BureauTimeoutError';
  }
}

/** A report that records the bureau could not be consulted, so policy can refer the case. */
export function unavailableReport(nationalId: string, source: string, error: string): BureauReport {
  return {
    nationalId,
    status: 'unavailable',
    accountsOnFile: 0,
    worstDaysPastDue: 0,
    enquiriesLast90Days: 0,
    negativeListings: [],
    source,
    error,
  };
}

/**
 * Asks a bureau with a deadline and never rejects: on timeout or failure it resolves to an
 * `unavailable` report, which the policy refers to a person rather than deciding blind.
 */
export async function fetchBureauReport(
  bureau: CreditBureau,
  nationalId: string,
  options: { timeoutMs?: number } = {},
): Promise<BureauReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new BureauTimeoutError(bureau.name, timeoutMs));
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([bureau.lookup(nationalId, { signal: controller.signal }), deadline]);
  } catch (error) {
    return unavailableReport(nationalId, bureau.name, (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}
