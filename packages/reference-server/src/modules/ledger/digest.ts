import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { type DailyJob, JOB_PHASES } from '../../jobs/daily-close.ts';
import type { AuditLog } from '../audit/log.ts';
import { chainHash, GENESIS } from './chain.ts';

interface Head {
  accountId: string;
  postingCount: bigint;
  chainHead: string | null;
}

/** SHA-256 over every account's posting count and chain head, in account-id order. */
export function digestOf(heads: Iterable<Head>): string {
  const hash = createHash('sha256').update('wekeza/ledger-digest/v1\n');
  for (const h of heads) hash.update(`${h.accountId}\t${h.postingCount}\t${h.chainHead ?? GENESIS}\n`);
  return hash.digest('hex');
}

export interface LedgerCheck {
  valid: boolean;
  /** The digest checked against (its bank date), null when none has been recorded. */
  bankDate: string | null;
  accounts: number;
  postings: number;
  /** What broke first: an account whose postings no longer hash to the head the digest holds. */
  firstBroken: { accountId: string; accountSeq: bigint | null; reason: string } | null;
}

/**
 * The daily ledger digest (issue 9): at each close, every account's posting count and chain head,
 * hashed in account order, is recorded — the heads that changed since the last digest in
 * `ledger_digest_heads`, the digest in `ledger_digests` and, what makes it count, as an audit event
 * that the sealer signs into the transparency log. A posting chain alone can be recomputed by
 * whoever owns the database; the digest cannot be, once a checkpoint covers it. `check` recomputes
 * the latest digest from the stored heads, compares it with the sealed audit event, and walks every
 * account's postings up to the count the digest holds.
 */
export class LedgerDigests {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** The daily-close job. Idempotent: a day's digest is written once. */
  job(): DailyJob {
    return {
      name: 'ledger.digest',
      phase: JOB_PHASES.digest,
      run: async ({ bankDate }) => {
        // Read every head from one consistent snapshot, then write: the digest is of that instant.
        const read = await this.db.readSnapshot(async (snapshot) => {
          const [done] = await snapshot.$queryRawUnsafe<{ n: unknown }[]>(
            'SELECT COUNT(*) AS n FROM ledger_digests WHERE bank_date = ?',
            bankDate,
          );
          if (Number(done?.n ?? 0) > 0) return undefined;
          return { heads: await currentHeads(snapshot), previous: await headsAsOf(snapshot, undefined) };
        });
        if (!read) return;
        const { heads, previous } = read;
        const changed = heads.filter((h) => previous.get(h.accountId)?.postingCount !== h.postingCount);
        const digest = digestOf(heads);
        const postings = heads.reduce((sum, h) => sum + h.postingCount, 0n);
        await this.db.sqlTransaction(async (tx) => {
          for (let i = 0; i < changed.length; i += 1_000) {
            const chunk = changed.slice(i, i + 1_000);
            await tx.$executeRawUnsafe(
              `INSERT INTO ledger_digest_heads (bank_date, account_id, posting_count, chain_head) VALUES ${chunk
                .map(() => '(?, ?, ?, ?)')
                .join(', ')}`,
              ...chunk.flatMap((h) => [bankDate, h.accountId, h.postingCount, h.chainHead]),
            );
          }
          await tx.$executeRawUnsafe(
            'INSERT INTO ledger_digests (bank_date, digest, accounts, postings, created_at) VALUES (?, ?, ?, ?, ?)',
            bankDate,
            digest,
            heads.length,
            postings,
            this.clock.now(),
          );
          await this.audit.record(
            tx,
            { id: 'system', role: 'system' },
            {
              action: 'ledger.digest_recorded',
              subject: { type: 'ledger', id: bankDate },
              after: { bank_date: bankDate, digest, accounts: heads.length, postings: postings.toString() },
            },
          );
        });
      },
    };
  }

  /** Checks the ledger against its latest digest (see the class comment). */
  async check(): Promise<LedgerCheck> {
    return this.db.readSnapshot(async (tx) => {
      const [latest] = await tx.$queryRawUnsafe<{ bank_date: string; digest: string }[]>(
        'SELECT bank_date, digest FROM ledger_digests ORDER BY bank_date DESC LIMIT 1',
      );
      if (!latest) return { valid: true, bankDate: null, accounts: 0, postings: 0, firstBroken: null };
      const broken = (
        accountId: string,
        accountSeq: bigint | null,
        reason: string,
        accounts = 0,
        postings = 0,
      ) => ({
        valid: false,
        bankDate: String(latest.bank_date),
        accounts,
        postings,
        firstBroken: { accountId, accountSeq, reason },
      });
      // The digest the signed log holds is the one that counts.
      const [sealed] = await tx.$queryRawUnsafe<{ after_state: string }[]>(
        "SELECT after_state FROM audit_events WHERE action = 'ledger.digest_recorded' AND subject_id = ?",
        latest.bank_date,
      );
      const recorded = sealed ? (JSON.parse(sealed.after_state) as { digest: string }).digest : undefined;
      if (recorded !== latest.digest)
        return broken('', null, 'the stored digest differs from the audited one');
      const heads = [...(await headsAsOf(tx, String(latest.bank_date))).values()].sort((a, b) =>
        a.accountId < b.accountId ? -1 : 1,
      );
      if (digestOf(heads) !== recorded)
        return broken('', null, 'the stored heads do not hash to the audited digest');
      let postings = 0;
      for (const head of heads) {
        const walked = await walkChain(tx, head.accountId, head.postingCount);
        postings += walked.count;
        if (walked.broken)
          return broken(head.accountId, walked.broken.seq, walked.broken.reason, heads.length, postings);
        if ((walked.head ?? null) !== (head.chainHead ?? null))
          return broken(
            head.accountId,
            head.postingCount,
            'the postings no longer hash to the digest head',
            heads.length,
            postings,
          );
      }
      return {
        valid: true,
        bankDate: String(latest.bank_date),
        accounts: heads.length,
        postings,
        firstBroken: null,
      };
    });
  }
}

async function currentHeads(tx: Sql): Promise<Head[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string; posting_count: unknown; chain_head: string | null }[]>(
    'SELECT id, posting_count, chain_head FROM accounts WHERE posting_count > 0 ORDER BY id',
  );
  return rows.map((r) => ({
    accountId: String(r.id),
    postingCount: BigInt(String(r.posting_count)),
    chainHead: r.chain_head === null ? null : String(r.chain_head),
  }));
}

/** Each account's head as of a digest (the latest stored row at or before it; undefined: the latest). */
async function headsAsOf(tx: Sql, bankDate: string | undefined): Promise<Map<string, Head>> {
  const rows = await tx.$queryRawUnsafe<
    { account_id: string; posting_count: unknown; chain_head: string | null; bank_date: string }[]
  >(
    `SELECT h.account_id, h.posting_count, h.chain_head, h.bank_date FROM ledger_digest_heads h
      WHERE h.bank_date = (SELECT MAX(x.bank_date) FROM ledger_digest_heads x
                            WHERE x.account_id = h.account_id${bankDate ? ' AND x.bank_date <= ?' : ''})`,
    ...(bankDate ? [bankDate] : []),
  );
  return new Map(
    rows.map((r) => [
      String(r.account_id),
      {
        accountId: String(r.account_id),
        postingCount: BigInt(String(r.posting_count)),
        chainHead: r.chain_head === null ? null : String(r.chain_head),
      },
    ]),
  );
}

/**
 * Recomputes an account's posting chain from its first posting to `upTo` (account_seq): each
 * posting's stored hash must be the hash of the previous one and its own fields; seq must run
 * 1, 2, 3… without a gap. Postings written before chaining existed (NULL) are skipped; the chain
 * starts at the first hashed one.
 */
export async function walkChain(
  tx: Sql,
  accountId: string,
  upTo: bigint,
): Promise<{ head: string | null; count: number; broken: { seq: bigint; reason: string } | null }> {
  let previous: string | null = null;
  let expected = 1n;
  let count = 0;
  for (;;) {
    const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT p.id, p.entry_id, p.account_seq, p.side, p.amount_minor, p.currency, p.balance_after_minor,
              p.created_at, p.chain_hash, e.effective_date
         FROM postings p JOIN journal_entries e ON e.id = p.entry_id
        WHERE p.account_id = ? AND p.account_seq >= ? AND p.account_seq <= ?
        ORDER BY p.account_seq LIMIT 2000`,
      accountId,
      expected,
      upTo,
    );
    for (const row of rows) {
      const seq = BigInt(String(row.account_seq));
      if (seq !== expected)
        return { head: previous, count, broken: { seq: expected, reason: 'a posting is missing' } };
      expected += 1n;
      count += 1;
      if (row.chain_hash === null) continue; // before chaining existed
      const hash = chainHash(previous, {
        id: String(row.id),
        entryId: String(row.entry_id),
        accountId,
        accountSeq: seq,
        side: String(row.side),
        amountMinor: BigInt(String(row.amount_minor)),
        currency: String(row.currency),
        balanceAfterMinor: BigInt(String(row.balance_after_minor)),
        createdAt: new Date(row.created_at as string | Date),
        effectiveDate: String(row.effective_date),
      });
      if (hash !== row.chain_hash)
        return { head: previous, count, broken: { seq, reason: 'a posting was altered' } };
      previous = hash;
    }
    if (rows.length < 2000) break;
  }
  if (expected - 1n !== upTo)
    return { head: previous, count, broken: { seq: expected, reason: 'postings are missing' } };
  return { head: previous, count, broken: null };
}
