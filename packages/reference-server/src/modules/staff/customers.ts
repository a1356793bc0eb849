/**
 * Staff reads of customers (ARCHITECTURE.md, "Staff reads"): a search, and the Customer 360 —
 * profile, KYC tier and its history, accounts and balances, loans with their days past due, every
 * credit decision, overrides and recent activity. Read-only query services that join across
 * domains and never sit on the money path; every read is audited (DOMAIN.md, Audit), in a
 * transaction of its own so a read leaves its trace even when nothing changes.
 */
import type { BankClock } from '../../bank-clock.ts';
import type { Database } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { notFound } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import type { AccountRow } from '../accounts/service.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal, User } from '../identity/service.ts';
import type { KycTier, TierTable } from '../kyc/tiers.ts';
import type { DecisionRow } from '../loans/credit.ts';
import type { LoanDetails, LoansService } from '../loans/service.ts';
import type { InterestDetails, SavingsService } from '../savings/service.ts';

export type KycChangeRow = NonNullable<
  Awaited<ReturnType<Database['prisma']['kycTierChange']['findUnique']>>
>;
export type ApplicationRow = NonNullable<
  Awaited<ReturnType<Database['prisma']['loanApplication']['findUnique']>>
>;
export type EventRow = NonNullable<Awaited<ReturnType<Database['prisma']['event']['findUnique']>>>;

export interface Customer360View {
  user: User;
  walletId: string | null;
  kycHistory: KycChangeRow[];
  limits: { currency: string; maxBalanceMinor: bigint; dailyOutgoingMinor: bigint; loanCapMinor: bigint }[];
  accounts: { account: AccountRow; details: InterestDetails | undefined }[];
  loans: LoanDetails[];
  applications: ApplicationRow[];
  decisions: DecisionRow[];
  events: EventRow[];
  asOf: string;
}

const STAFF = new Set(['banker', 'admin']);
/** How many applications and decisions the 360 shows (newest first); the loans list has them all. */
const HISTORY = 50;
const ACTIVITY = 20;
const MAX_LOANS = 200;

/** What a search term looks like, so it is matched against the right column (and an index). */
function classify(query: string) {
  const q = query.trim();
  if (/^cus_[0-9A-Za-z_]+$/.test(q)) return { kind: 'customer' as const, q };
  if (/^acc_[0-9A-Za-z_]+$/.test(q)) return { kind: 'account' as const, q };
  if (/^loan_[0-9A-Za-z_]+$/.test(q)) return { kind: 'loan' as const, q };
  if (/^app_[0-9A-Za-z_]+$/.test(q)) return { kind: 'application' as const, q };
  if (q.includes('@')) return { kind: 'email' as const, q: q.toLowerCase() };
  // A phone: +2547… in full, or the local 07… form.
  const digits = q.replace(/[\s-]/g, '');
  if (/^\+[1-9][0-9]{7,14}$/.test(digits)) return { kind: 'phone' as const, q: digits };
  if (/^0[17][0-9]{8}$/.test(digits)) return { kind: 'phone' as const, q: `+254${digits.slice(1)}` };
  // Digits alone: a national ID, or a loan number (the M-Pesa paybill account).
  if (/^[0-9]{4,20}$/.test(digits)) return { kind: 'number' as const, q: digits };
  return { kind: 'name' as const, q };
}

export class CustomerQueries {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly bankClock: BankClock,
    private readonly tiers: TierTable,
    private readonly loans: LoansService,
    private readonly savings: SavingsService,
  ) {}

  /**
   * Customers matching the query, in id order (paged by `starting_after`). Without a query: every
   * customer. Names match case-insensitively on any part; identifiers match exactly.
   */
  async search(principal: Principal, query: string | undefined, page: PageRequest): Promise<User[]> {
    if (!STAFF.has(principal.role)) throw notFound('customer');
    const ids = query ? await this.idsFor(query) : undefined;
    const rows = await this.db.prisma.user.findMany({
      where: {
        role: 'customer',
        ...(ids ? { id: { in: ids, ...(page.startingAfter ? { gt: page.startingAfter } : {}) } } : {}),
        ...(!ids && page.startingAfter ? { id: { gt: page.startingAfter } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    await sqlTransaction(this.db, (tx) =>
      this.audit.record(tx, principal, {
        action: 'customer.searched',
        subject: { type: 'customer', id: null },
        after: { query: query ?? null, results: Math.min(rows.length, page.limit) },
      }),
    );
    return rows;
  }

  /** The ids of the customers a query names (at most 1000; a name search beyond that is too broad). */
  private async idsFor(query: string): Promise<string[]> {
    const { kind, q } = classify(query);
    const sql = this.db.sql;
    const one = async (statement: string, ...params: unknown[]) =>
      (await sql.$queryRawUnsafe<{ id: string }[]>(statement, ...params)).map((r) => String(r.id));
    switch (kind) {
      case 'customer':
        return [q];
      case 'account':
        return one('SELECT owner_id AS id FROM accounts WHERE id = ? AND owner_id IS NOT NULL', q);
      case 'loan':
        return one('SELECT customer_id AS id FROM loans WHERE id = ?', q);
      case 'application':
        return one('SELECT customer_id AS id FROM loan_applications WHERE id = ?', q);
      case 'email':
        return one('SELECT id FROM users WHERE LOWER(email) = ?', q);
      case 'phone':
        return one('SELECT id FROM users WHERE phone = ?', q);
      case 'number':
        return [
          ...(await one('SELECT id FROM users WHERE national_id = ?', q)),
          ...(await one('SELECT customer_id AS id FROM loans WHERE loan_number = ?', q)),
          ...(await one('SELECT id FROM users WHERE phone LIKE ?', `%${q}`)),
        ];
      case 'name': {
        // LIKE's wildcards in the term are matched literally.
        const escaped = q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`);
        return one(
          `SELECT id FROM users WHERE role = 'customer' AND (LOWER(full_name) LIKE ? ESCAPE '!' OR national_id = ?) ORDER BY id LIMIT 1000`,
          `%${escaped}%`,
          q,
        );
      }
    }
  }

  /** The Customer 360 (staff only; anyone else: 404). The read is audited. */
  async view(principal: Principal, id: string): Promise<Customer360View> {
    if (!STAFF.has(principal.role)) throw notFound('customer');
    const prisma = this.db.prisma;
    const user = await prisma.user.findUnique({ where: { id } });
    if (user?.role !== 'customer') throw notFound('customer');
    const [kycHistory, accountRows, applications, decisions, events] = await Promise.all([
      prisma.kycTierChange.findMany({ where: { customerId: id }, orderBy: { id: 'desc' } }),
      prisma.account.findMany({ where: { ownerId: id }, orderBy: { id: 'asc' } }),
      prisma.loanApplication.findMany({ where: { customerId: id }, orderBy: { id: 'desc' }, take: HISTORY }),
      prisma.creditDecision.findMany({ where: { customerId: id }, orderBy: { id: 'desc' }, take: HISTORY }),
      prisma.event.findMany({ where: { customerId: id }, orderBy: { id: 'desc' }, take: ACTIVITY }),
    ]);
    const details = await this.savings.details(accountRows);
    const loans = await this.loans.list(principal, { limit: MAX_LOANS, startingAfter: undefined }, id);
    const tier = user.kycTier as KycTier;
    const limits = Object.entries(this.tiers)
      .filter(([, table]) => table[tier])
      .map(([currency, table]) => ({
        currency,
        maxBalanceMinor: table[tier].maxBalanceMinor,
        dailyOutgoingMinor: table[tier].dailyOutgoingMinor,
        loanCapMinor: table[tier].loanCapMinor,
      }));
    await sqlTransaction(this.db, (tx) =>
      this.audit.record(tx, principal, {
        action: 'customer.viewed',
        subject: { type: 'customer', id },
        after: { view: 'customer_360' },
      }),
    );
    return {
      user,
      walletId: accountRows.find((a) => a.type === 'wallet')?.id ?? null,
      kycHistory,
      limits,
      accounts: accountRows.map((account) => ({ account, details: details.get(account.id) })),
      loans: loans.slice(0, MAX_LOANS),
      applications,
      decisions,
      events,
      asOf: this.bankClock.today(),
    };
  }
}
