import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/transaction.ts';

/**
 * A lease in the database: at most one holder at a time for work that must run once per bank, even
 * with several server instances (the daily close, the audit sealer). Taking it is one conditional
 * write; a holder that dies lets it expire, and another instance takes over.
 */
export class Leases {
  /** Who this process is, as a holder. */
  readonly holder = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Takes (or renews) the lease for `ttlMs`; answers whether this process holds it now. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + ttlMs);
    const taken = await this.db.sql.$executeRawUnsafe(
      'UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)',
      this.holder,
      until,
      name,
      this.holder,
      now,
    );
    if (taken === 1) return true;
    try {
      await this.db.sql.$executeRawUnsafe(
        'INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)',
        name,
        this.holder,
        until,
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false; // held by someone else
      throw error;
    }
  }

  /** Gives the lease up at once (if this process holds it). */
  async release(name: string): Promise<void> {
    await this.db.sql.$executeRawUnsafe(
      'UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?',
      new Date(0),
      name,
      this.holder,
    );
  }
}
