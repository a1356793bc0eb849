import { CURRENCY_CODES } from '@wekeza/sdk';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Database, Db, Dialect, Figure, Sql } from '../../db/database.ts';
import { isUniqueViolation, transaction } from '../../db/transaction.ts';
import { type Writes, write } from '../../db/write-batch.ts';
import { conflict, DomainError, insufficientFunds, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { chainHash } from './chain.ts';
import {
  BANK_ACCOUNTS,
  type BankAccountCode,
  balanceDelta,
  bankAccountId,
  type Category,
  normalSideOf,
  type Side,
} from './chart.ts';

/** An account row read under its lock, with the figures the ledger needs. */
export interface LockedAccount {
  id: string;
  ownerId: string | null;
  type: string;
  currency: string;
  status: string;
  normalSide: Side;
  allowNegative: boolean;
  balanceMinor: bigint;
  heldMinor: bigint;
  postingCount: bigint;
  /** The hash of the account's last posting (null before its first chained one). */
  chainHead: string | null;
}

export interface PostingInput {
  accountId: string;
  side: Side;
  amountMinor: bigint;
}

export interface EntryInput {
  kind: string;
  description: string;
  postings: PostingInput[];
  reversesId?: string;
  /**
   * The bank day the entry belongs to (default: today's bank date). A daily job closing day D posts
   * with D, so that D's end-of-day balances and statements see it there.
   */
  effectiveDate?: string;
}

export interface PostedEntry {
  id: string;
  effectiveDate: string;
  createdAt: Date;
  postings: { id: string; accountId: string; side: Side; amountMinor: bigint; balanceAfterMinor: bigint }[];
}

/** Locks are taken in this order everywhere, so two movements on the same accounts cannot deadlock. */
const lockOrder = (ids: Iterable<string>) => [...new Set(ids)].sort();

/**
 * The double-entry ledger. Every method runs inside the caller's transaction: it locks the accounts
 * it touches (in a fixed order), checks the entry balances per currency and that no account that
 * may not go negative would, writes the immutable entry and postings, and moves the cached
 * balances in the same transaction.
 */
export class Ledger {
  constructor(
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly bankClock: BankClock,
  ) {}

  /**
   * Locks accounts for the rest of the transaction and returns them. MySQL takes row locks
   * (SELECT … FOR UPDATE); SQLite runs one writer at a time, so the transaction itself is the lock.
   */
  async lock(
    tx: Sql,
    ids: Iterable<string>,
    already = new Map<string, LockedAccount>(),
  ): Promise<Map<string, LockedAccount>> {
    const wanted = lockOrder(ids).filter((id) => !already.has(id));
    if (wanted.length === 0) return already;
    const { sql, params } = this.lockStatement(wanted);
    return this.lockedFrom(await tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params), already);
  }

  /** The statement that locks accounts: one, in primary-key order (InnoDB takes the locks in that order). */
  lockStatement(ids: Iterable<string>): Figure {
    const wanted = lockOrder(ids);
    return {
      sql: `SELECT id, owner_id, type, currency, status, normal_side, allow_negative, balance_minor, held_minor, posting_count, chain_head
              FROM accounts WHERE id IN (${wanted.map(() => '?').join(', ')}) ORDER BY id${this.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      params: wanted,
    };
  }

  /** The accounts `lockStatement` answered, added to `into`. */
  lockedFrom(
    rows: Record<string, unknown>[],
    into = new Map<string, LockedAccount>(),
  ): Map<string, LockedAccount> {
    const already = into;
    for (const row of rows) {
      already.set(String(row.id), {
        id: String(row.id),
        ownerId: row.owner_id === null ? null : String(row.owner_id),
        type: String(row.type),
        currency: String(row.currency),
        status: String(row.status),
        normalSide: String(row.normal_side) as Side,
        allowNegative: Boolean(Number(row.allow_negative)),
        balanceMinor: BigInt(row.balance_minor as bigint),
        heldMinor: BigInt(row.held_minor as bigint),
        postingCount: BigInt(row.posting_count as bigint),
        chainHead: row.chain_head === null ? null : String(row.chain_head),
      });
    }
    return already;
  }

  /**
   * Opens the bank's own accounts (the chart of accounts) for every supported currency. Runs at
   * start-up, outside any transaction, so that movements never race to create them.
   */
  async openBankAccounts(db: Db): Promise<void> {
    const existing = new Set(
      (await db.account.findMany({ where: { type: 'bank' }, select: { id: true } })).map((a) => a.id),
    );
    for (const currency of CURRENCY_CODES) {
      for (const [code, definition] of Object.entries(BANK_ACCOUNTS)) {
        const id = bankAccountId(code as BankAccountCode, currency);
        if (existing.has(id)) continue;
        const category: Category = definition.category;
        try {
          await db.account.create({
            data: {
              id,
              code,
              type: 'bank',
              category,
              normalSide: normalSideOf(category),
              currency,
              status: 'open',
              allowNegative: true,
              balanceMinor: 0n,
              heldMinor: 0n,
              postingCount: 0n,
              createdAt: this.clock.now(),
            },
          });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error; // another server opened it first
        }
      }
    }
  }

  /** The id of the bank's own account for a code and currency (opened at start-up). */
  bankAccount(code: BankAccountCode, currency: string): string {
    return bankAccountId(code, currency);
  }

  /** Posts one balanced journal entry. Throws `insufficient_funds` (and writes nothing) if an account would be overdrawn. */
  async post(tx: Sql, entry: EntryInput, locked = new Map<string, LockedAccount>()): Promise<PostedEntry> {
    const [posted] = await this.postMany(tx, [entry], locked);
    return posted as PostedEntry;
  }

  /**
   * Posts several balanced entries, in order, in three statements whatever their number: one insert
   * of the entries, one of their postings, one guarded update of every account's balance, count and
   * chain head. Each account's postings are numbered and chained in the order given. Throws
   * `insufficient_funds` (and writes nothing) if an account that may not go negative would end below
   * its holds.
   */
  async postMany(
    tx: Sql,
    entries: EntryInput[],
    locked = new Map<string, LockedAccount>(),
    /** Where the writes go: at once (the default), or a WriteBatch sent at the end of the transaction. */
    writes: Writes = tx,
  ): Promise<PostedEntry[]> {
    const accounts = await this.lock(
      tx,
      entries.flatMap((e) => e.postings.map((p) => p.accountId)),
      locked,
    );
    for (const entry of entries) {
      if (entry.postings.length < 2) throw new Error('a journal entry needs at least two postings');
      const totals = new Map<string, { debit: bigint; credit: bigint }>();
      for (const posting of entry.postings) {
        if (posting.amountMinor <= 0n) throw new Error('a posting amount must be positive');
        const account = accounts.get(posting.accountId);
        if (!account) throw notFound('account');
        const total = totals.get(account.currency) ?? { debit: 0n, credit: 0n };
        total[posting.side] += posting.amountMinor;
        totals.set(account.currency, total);
      }
      for (const [currency, total] of totals) {
        if (total.debit !== total.credit) {
          throw new Error(`unbalanced entry in ${currency}: debits ${total.debit} ≠ credits ${total.credit}`);
        }
      }
    }

    const now = this.clock.now();
    const today = this.bankClock.today();
    const balances = new Map<
      string,
      { balance: bigint; count: bigint; start: bigint; startCount: bigint; head: string | null }
    >();
    const posted = entries.map((entry) => {
      const entryId = newId('je');
      const effectiveDate = entry.effectiveDate ?? today;
      const rows = entry.postings.map((posting) => {
        const account = accounts.get(posting.accountId) as LockedAccount;
        const state = balances.get(account.id) ?? {
          balance: account.balanceMinor,
          count: account.postingCount,
          start: account.balanceMinor,
          startCount: account.postingCount,
          head: account.chainHead,
        };
        state.balance += balanceDelta(account.normalSide, posting.side, posting.amountMinor);
        state.count += 1n;
        const row = {
          id: newId('txn'),
          entryId,
          accountId: account.id,
          accountSeq: state.count,
          side: posting.side,
          amountMinor: posting.amountMinor,
          currency: account.currency,
          balanceAfterMinor: state.balance,
          createdAt: now,
          effectiveDate,
          chainHash: '',
        };
        row.chainHash = chainHash(state.head, row);
        state.head = row.chainHash;
        balances.set(account.id, state);
        return row;
      });
      return { entry, entryId, effectiveDate, rows };
    });
    for (const [id, state] of balances) {
      const account = accounts.get(id) as LockedAccount;
      if (!account.allowNegative && state.balance - account.heldMinor < 0n) throw insufficientFunds();
    }

    // The hot path is plain SQL: a transfer is a handful of statements, whatever the ORM costs.
    await write(
      writes,
      `INSERT INTO journal_entries (id, kind, description, reverses_id, effective_date, created_at)
       VALUES ${posted.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      posted.flatMap((p) => [
        p.entryId,
        p.entry.kind,
        p.entry.description,
        p.entry.reversesId ?? null,
        p.effectiveDate,
        now,
      ]),
    );
    const rows = posted.flatMap((p) => p.rows);
    await write(
      writes,
      `INSERT INTO postings (id, entry_id, account_id, account_seq, side, amount_minor, currency, balance_after_minor, created_at, chain_hash)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((r) => [
        r.id,
        r.entryId,
        r.accountId,
        r.accountSeq,
        r.side,
        r.amountMinor,
        r.currency,
        r.balanceAfterMinor,
        r.createdAt,
        r.chainHash,
      ]),
    );
    // One UPDATE for every account of the entries, guarded by the figures read under the lock.
    const changed = [...balances.entries()];
    await write(
      writes,
      `UPDATE accounts
          SET balance_minor = CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} END,
              posting_count = CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} END,
              chain_head = CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} END
        WHERE ${changed.map(() => '(id = ? AND balance_minor = ? AND posting_count = ?)').join(' OR ')}`,
      [
        ...changed.flatMap(([id, state]) => [id, state.balance]),
        ...changed.flatMap(([id, state]) => [id, state.count]),
        ...changed.flatMap(([id, state]) => [id, state.head]),
        ...changed.flatMap(([id, state]) => [id, state.start, state.startCount]),
      ],
      (updated) => {
        if (updated !== changed.length) throw new Error('an account changed under its lock');
      },
    );
    for (const [id, state] of changed) {
      const account = accounts.get(id) as LockedAccount;
      account.balanceMinor = state.balance;
      account.postingCount = state.count;
      account.chainHead = state.head;
    }
    return posted.map((p) => ({
      id: p.entryId,
      effectiveDate: p.effectiveDate,
      createdAt: now,
      postings: p.rows.map((r) => ({
        id: r.id,
        accountId: r.accountId,
        side: r.side,
        amountMinor: r.amountMinor,
        balanceAfterMinor: r.balanceAfterMinor,
      })),
    }));
  }

  /**
   * Reverses a posted entry with a new entry that swaps every side and links back to it. At most
   * once: the unique index on `reverses_id` refuses a second reversal even when two race (the
   * check before it only spares the common case the work). The caller audits it.
   */
  async reverse(tx: Db, entryId: string, description: string): Promise<PostedEntry> {
    const original = await tx.journalEntry.findUnique({
      where: { id: entryId },
      include: { postings: true },
    });
    if (!original) throw notFound('journal entry');
    if (original.kind === 'reversal') throw conflict('A reversal is not reversed; post a new entry.');
    const already = await tx.journalEntry.findUnique({
      where: { reversesId: entryId },
      select: { id: true },
    });
    if (already) throw conflict(`journal entry ${entryId} is already reversed by ${already.id}`);
    try {
      return await this.post(tx, {
        kind: 'reversal',
        description,
        reversesId: entryId,
        postings: original.postings.map((p) => ({
          accountId: p.accountId,
          side: p.side === 'debit' ? 'credit' : 'debit',
          amountMinor: p.amountMinor,
        })),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`journal entry ${entryId} is already reversed`);
      throw error;
    }
  }

  /** Sets money aside for a two-phase movement: available balance drops now, the ledger balance when it is posted. */
  async placeHold(
    tx: Db,
    input: { accountId: string; amountMinor: bigint; description: string; expiresAt: Date },
  ) {
    if (input.amountMinor <= 0n) throw new Error('a hold amount must be positive');
    const accounts = await this.lock(tx, [input.accountId]);
    const account = accounts.get(input.accountId);
    if (!account) throw notFound('account');
    if (!account.allowNegative && account.balanceMinor - account.heldMinor < input.amountMinor)
      throw insufficientFunds();
    const hold = await tx.hold.create({
      data: {
        id: newId('hold'),
        accountId: account.id,
        amountMinor: input.amountMinor,
        currency: account.currency,
        status: 'pending',
        description: input.description,
        expiresAt: input.expiresAt,
        createdAt: this.clock.now(),
      },
    });
    await tx.$executeRawUnsafe(
      'UPDATE accounts SET held_minor = held_minor + ? WHERE id = ?',
      input.amountMinor,
      account.id,
    );
    return hold;
  }

  /**
   * Posts a pending hold with the entry that settles it (which must debit the held account by the
   * held amount), exactly once: a hold already posted or voided answers `conflict`.
   */
  async captureHold(tx: Db, holdId: string, entry: EntryInput): Promise<PostedEntry> {
    const hold = await this.resolveHold(tx, holdId, 'posted');
    const debit = entry.postings.find((p) => p.accountId === hold.accountId && p.side === 'debit');
    if (!debit || debit.amountMinor !== hold.amountMinor)
      throw new Error('the settling entry must debit the held amount');
    const posted = await this.post(tx, entry);
    await tx.hold.update({ where: { id: holdId }, data: { entryId: posted.id } });
    return posted;
  }

  /** Releases a pending hold without posting, exactly once. */
  async voidHold(tx: Db, holdId: string): Promise<void> {
    await this.resolveHold(tx, holdId, 'voided');
  }

  /**
   * Voids every pending hold whose time is up, each in its own transaction: a hold another request
   * resolved meanwhile is skipped, and never costs the others their expiry. Returns how many it voided.
   */
  async expireHolds(database: Database): Promise<number> {
    const due = await database.prisma.hold.findMany({
      where: { status: 'pending', expiresAt: { lte: this.clock.now() } },
      select: { id: true },
    });
    let voided = 0;
    for (const hold of due) {
      try {
        await transaction(database, (tx) => this.voidHold(tx, hold.id));
        voided += 1;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      }
    }
    return voided;
  }

  private async resolveHold(tx: Db, holdId: string, status: 'posted' | 'voided') {
    const hold = await tx.hold.findUnique({ where: { id: holdId } });
    if (!hold) throw notFound('hold');
    await this.lock(tx, [hold.accountId]);
    // The status change is conditional, so two racing resolutions cannot both win.
    const changed = await tx.hold.updateMany({
      where: { id: holdId, status: 'pending' },
      data: { status, resolvedAt: this.clock.now() },
    });
    if (changed.count !== 1)
      throw new DomainError(409, 'conflict', 'Conflict', `hold ${holdId} is already resolved`);
    await tx.$executeRawUnsafe(
      'UPDATE accounts SET held_minor = held_minor - ? WHERE id = ?',
      hold.amountMinor,
      hold.accountId,
    );
    return hold;
  }
}
