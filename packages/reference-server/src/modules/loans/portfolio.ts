/**
 * Portfolio quality for administrators (DOMAIN.md "Arrears"): NPL ratio and PAR30 weighted by
 * outstanding principal, loans and principal per arrears bucket and per CBK class, and the scores
 * the loans were granted on. Read from the loan rows the daily close keeps current (days past due
 * as of the last closed day, principal outstanding as of now); the daily close also stores one
 * snapshot per bank day and currency for the history.
 */
import { Decimal } from '@wekeza/sdk/rates';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/database.ts';
import { type DailyJob, JOB_PHASES } from '../../jobs/daily-close.ts';
import {
  ARREARS_BUCKETS,
  type ArrearsBucket,
  arrearsBucket,
  CBK_CLASSES,
  type CbkClass,
  cbkClassification,
  isNonPerforming,
} from './arrears.ts';

export interface Slice {
  loans: number;
  principal: bigint;
}

export interface PortfolioFigures {
  currency: string;
  loans: number;
  outstandingPrincipal: bigint;
  nplPrincipal: bigint;
  par30Principal: bigint;
  nplRatio: string;
  par30: string;
  byBucket: Record<ArrearsBucket, Slice>;
  byClass: Record<CbkClass, Slice>;
  /** Score bands of 100 points (the last is 900–1000); `unscored` for loans granted without a score. */
  scoreDistribution: { band: string; loans: number; principal: bigint }[];
}

export interface SnapshotRow {
  bankDate: string;
  figures: Omit<PortfolioFigures, 'scoreDistribution'>;
}

const SCORE_BANDS = Array.from({ length: 10 }, (_, i) =>
  i === 9 ? '900-1000' : `${i * 100}-${i * 100 + 99}`,
);

/** part / whole to 4 decimals, half-even; "0.0000" for an empty book (as arrears.ts). */
function ratio(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0.0000';
  return new Decimal(part.toString()).div(whole.toString()).toFixed(4, Decimal.ROUND_HALF_EVEN);
}

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

export class PortfolioService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Today's figures per currency (the loans `active` or `in_arrears`). */
  async current(): Promise<PortfolioFigures[]> {
    // Grouped in the database: a few hundred rows, whatever the size of the book.
    const hundreds = this.db.dialect === 'mysql' ? 'score DIV 100' : 'score / 100';
    const band = `CASE WHEN score IS NULL THEN -1 WHEN score >= 900 THEN 9 ELSE ${hundreds} END`;
    const rows = await this.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT currency, days_past_due AS dpd, ${band} AS band, COUNT(*) AS n,
              SUM(principal_outstanding_minor) AS principal
         FROM loans WHERE status IN ('active', 'in_arrears')
        GROUP BY currency, days_past_due, ${band}`,
    );
    const byCurrency = new Map<string, PortfolioFigures>();
    for (const row of rows) {
      const currency = String(row.currency);
      const figures = byCurrency.get(currency) ?? empty(currency);
      byCurrency.set(currency, figures);
      const dpd = Number(row.dpd);
      const n = Number(row.n);
      const principal = BigInt(String(row.principal ?? 0));
      figures.loans += n;
      figures.outstandingPrincipal += principal;
      if (isNonPerforming(dpd)) figures.nplPrincipal += principal;
      if (dpd > 30) figures.par30Principal += principal;
      add(figures.byBucket[arrearsBucket(dpd)], n, principal);
      add(figures.byClass[cbkClassification(dpd)], n, principal);
      const band = Number(row.band);
      const slot = figures.scoreDistribution.find(
        (s) => s.band === (band < 0 ? 'unscored' : SCORE_BANDS[band]),
      );
      if (slot) {
        slot.loans += n;
        slot.principal += principal;
      }
    }
    for (const figures of byCurrency.values()) {
      figures.nplRatio = ratio(figures.nplPrincipal, figures.outstandingPrincipal);
      figures.par30 = ratio(figures.par30Principal, figures.outstandingPrincipal);
    }
    return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  }

  async currentFor(currency: string): Promise<PortfolioFigures> {
    return (await this.current()).find((f) => f.currency === currency) ?? empty(currency);
  }

  /** One row per closed bank day in [from, to]. */
  async history(currency: string, from: string, to: string): Promise<SnapshotRow[]> {
    const rows = await this.db.prisma.portfolioSnapshot.findMany({
      where: { currency, bankDate: { gte: from, lte: to } },
      orderBy: { bankDate: 'asc' },
    });
    return rows.map((row) => ({
      bankDate: row.bankDate,
      figures: {
        currency: row.currency,
        loans: row.loans,
        outstandingPrincipal: row.outstandingPrincipalMinor,
        nplPrincipal: row.nplPrincipalMinor,
        par30Principal: row.par30PrincipalMinor,
        nplRatio: row.nplRatio,
        par30: row.par30,
        byBucket: parseSlices(row.byBucket, ARREARS_BUCKETS),
        byClass: parseSlices(row.byClass, CBK_CLASSES),
      },
    }));
  }

  /** The daily close's last job: the day's figures per currency (written again if a day is re-run). */
  readonly snapshot: DailyJob = {
    name: 'loans.portfolio_snapshot',
    phase: JOB_PHASES.snapshots,
    run: async ({ bankDate }) => {
      const now = this.clock.now();
      // Every currency the bank has lent in gets its row, an empty book included.
      const lent = await this.db.sql.$queryRawUnsafe<{ currency: string }[]>(
        'SELECT DISTINCT currency FROM loans',
      );
      const figures = await this.current();
      for (const { currency } of lent)
        if (!figures.some((f) => f.currency === String(currency))) figures.push(empty(String(currency)));
      for (const f of figures) {
        await this.db.sql.$executeRawUnsafe(
          'DELETE FROM portfolio_snapshots WHERE bank_date = ? AND currency = ?',
          bankDate,
          f.currency,
        );
        await this.db.sql.$executeRawUnsafe(
          `INSERT INTO portfolio_snapshots (bank_date, currency, loans, outstanding_principal_minor, npl_principal_minor,
             par30_principal_minor, npl_ratio, par30, by_bucket, by_class, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          bankDate,
          f.currency,
          f.loans,
          f.outstandingPrincipal,
          f.nplPrincipal,
          f.par30Principal,
          f.nplRatio,
          f.par30,
          json(f.byBucket),
          json(f.byClass),
          now,
        );
      }
    },
  };
}

function empty(currency: string): PortfolioFigures {
  return {
    currency,
    loans: 0,
    outstandingPrincipal: 0n,
    nplPrincipal: 0n,
    par30Principal: 0n,
    nplRatio: '0.0000',
    par30: '0.0000',
    byBucket: Object.fromEntries(ARREARS_BUCKETS.map((b) => [b, { loans: 0, principal: 0n }])) as Record<
      ArrearsBucket,
      Slice
    >,
    byClass: Object.fromEntries(CBK_CLASSES.map((c) => [c, { loans: 0, principal: 0n }])) as Record<
      CbkClass,
      Slice
    >,
    scoreDistribution: [...SCORE_BANDS, 'unscored'].map((band) => ({ band, loans: 0, principal: 0n })),
  };
}

function add(slice: Slice, loans: number, principal: bigint): void {
  slice.loans += loans;
  slice.principal += principal;
}

function parseSlices<K extends string>(text: string, keys: readonly K[]): Record<K, Slice> {
  const raw = JSON.parse(text) as Record<string, { loans: number; principal: string }>;
  return Object.fromEntries(
    keys.map((k) => [k, { loans: Number(raw[k]?.loans ?? 0), principal: BigInt(raw[k]?.principal ?? '0') }]),
  ) as Record<K, Slice>;
}
