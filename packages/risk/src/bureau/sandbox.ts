/**
 * A sandbox credit bureau that answers deterministically by national ID, so that every branch
 * of a credit decision can be exercised in tests and demos:
 *
 * | national ID ends in | answer |
 * |---|---|
 * | `9` | negative listing (one adverse listing, 120 days past due) |
 * | `8` | timeout: never answers; rejects with BureauTimeoutError after `hangMs` or on abort |
 * | `7` | thin file (no accounts on file) |
 * | anything else (`0`–`6`, letters) | clean file; account count and enquiries derived from the ID |
 *
 * IDs must be 4–20 letters or digits; anything else is rejected with a RangeError.
 */
import {
  type BureauLookupOptions,
  type BureauReport,
  BureauTimeoutError,
  type CreditBureau,
} from './bureau.ts';

const VALID_ID = /^[A-Za-z0-9]{4,20}$/;

/** A stable small hash of the ID (FNV-1a), used to vary clean files without randomness. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export type SandboxAnswer = 'clean' | 'thin_file' | 'negative' | 'timeout';

/** Which answer the sandbox gives for an ID (see the table above). */
export function sandboxAnswerFor(nationalId: string): SandboxAnswer {
  switch (nationalId.at(-1)) {
    case '9':
      return 'negative';
    case '8':
      return 'timeout';
    case '7':
      return 'thin_file';
    default:
      return 'clean';
  }
}

export class SandboxBureau implements CreditBureau {
  readonly name = 'sandbox';
  readonly #hangMs: number;

  /** `hangMs`: how long a timeout ID hangs before rejecting when nobody aborts first. */
  constructor(options: { hangMs?: number } = {}) {
    this.#hangMs = options.hangMs ?? 30_000;
  }

  lookup(nationalId: string, options: BureauLookupOptions = {}): Promise<BureauReport> {
    if (!VALID_ID.test(nationalId))
      return Promise.reject(new RangeError('national ID must be 4–20 letters or digits'));
    const answer = sandboxAnswerFor(nationalId);
    const h = fnv1a(nationalId);
    const base = { nationalId, source: this.name };
    switch (answer) {
      case 'negative':
        return Promise.resolve({
          ...base,
          status: 'negative',
          accountsOnFile: 2 + (h % 4),
          worstDaysPastDue: 120,
          enquiriesLast90Days: 3 + (h % 5),
          negativeListings: [
            {
              lender: 'Sandbox Microfinance',
              amountMinor: 1_250_000n,
              listedOn: '2024-11-30',
              reason: 'default',
            },
          ],
        });
      case 'thin_file':
        return Promise.resolve({
          ...base,
          status: 'thin_file',
          accountsOnFile: 0,
          worstDaysPastDue: 0,
          enquiriesLast90Days: h % 2,
          negativeListings: [],
        });
      case 'timeout':
        return new Promise((_, reject) => {
          const timer = setTimeout(
            () => reject(new BureauTimeoutError(this.name, this.#hangMs)),
            this.#hangMs,
          );
          timer.unref?.();
          options.signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              reject(new BureauTimeoutError(this.name, this.#hangMs));
            },
            { once: true },
          );
        });
      default:
        return Promise.resolve({
          ...base,
          status: 'clean',
          accountsOnFile: 1 + (h % 6),
          worstDaysPastDue: [0, 0, 0, 7, 15][h % 5]!,
          enquiriesLast90Days: h % 3,
          negativeListings: [],
        });
    }
  }
}
