import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';
import { loadMigrations, migrate } from '../src/db/migrate.ts';
import { createTestDatabase, type Dialect, testDialects } from '../src/testing/index.ts';

interface RuntimeField {
  name: string;
  kind: string;
  type: string;
  dbName?: string;
}
type RuntimeModels = Record<string, { dbName: string | null; fields: RuntimeField[] }>;

const when = new Date('2026-12-01T09:30:15.123Z');

/** One full row per model, every column set: written through Prisma, it must read back identical. */
const ROWS: Record<string, Record<string, unknown>> = {
  User: {
    id: 'cus_S1',
    role: 'customer',
    email: 's@example.test',
    phone: '+254700000099',
    fullName: 'Schema Test',
    nationalId: 'ID-1',
    kycTier: 2,
    passwordHash: 'h',
    status: 'active',
    createdAt: when,
  },
  PartnerClient: { id: 'partner_s', name: 'P', secretHash: 'h', type: 'confidential', createdAt: when },
  Account: {
    id: 'acc_S1',
    ownerId: 'cus_S1',
    code: 'schema_code',
    type: 'wallet',
    category: 'liability',
    normalSide: 'credit',
    currency: 'KES',
    status: 'open',
    allowNegative: false,
    balanceMinor: 9_007_199_254_740_993n,
    heldMinor: 1n,
    postingCount: 1n,
    walletKey: 'cus_S1:KES',
    createdAt: when,
    chainHead: 'd'.repeat(64),
  },
  JournalEntry: {
    id: 'je_S1',
    kind: 'test',
    description: 'd',
    reversesId: null,
    effectiveDate: '2026-12-01',
    createdAt: when,
  },
  Posting: {
    id: 'txn_S1',
    entryId: 'je_S1',
    accountId: 'acc_S1',
    accountSeq: 1n,
    side: 'credit',
    amountMinor: 9_007_199_254_740_993n,
    currency: 'KES',
    balanceAfterMinor: 9_007_199_254_740_993n,
    createdAt: when,
    chainHash: 'd'.repeat(64),
  },
  Hold: {
    id: 'hold_S1',
    accountId: 'acc_S1',
    amountMinor: 1n,
    currency: 'KES',
    status: 'pending',
    description: 'd',
    entryId: 'je_S1',
    expiresAt: when,
    createdAt: when,
    resolvedAt: when,
  },
  Transfer: {
    id: 'trf_S1',
    initiatedBy: 'cus_S1',
    fromAccountId: 'acc_S1',
    toAccountId: 'acc_S2',
    amountMinor: 5n,
    currency: 'KES',
    reference: 'r',
    status: 'reversed',
    entryId: 'je_S1',
    createdAt: when,
    reversalEntryId: 'je_S1',
    reversedAt: when,
    batchId: 'trb_S1',
  },
  IdempotencyKey: {
    principalId: 'cus_S1',
    key: 'k'.repeat(255),
    requestHash: 'a'.repeat(64),
    responseStatus: 201,
    responseBody: '{"ok":true}',
    createdAt: when,
    expiresAt: when,
  },
  RefreshToken: {
    id: 'rt_S1',
    familyId: 'rtf_S1',
    userId: 'cus_S1',
    tokenHash: 'b'.repeat(64),
    expiresAt: when,
    createdAt: when,
    rotatedAt: when,
    revokedAt: when,
  },
  TotpFactor: {
    userId: 'cus_S1',
    secret: 'JBSWY3DPEHPK3PXP',
    status: 'enabled',
    lastStep: 59_000_000n,
    createdAt: when,
    enabledAt: when,
  },
  RecoveryCode: { id: 'rc_S1', userId: 'cus_S1', codeHash: 'c'.repeat(64), usedAt: when, createdAt: when },
  WidgetSession: {
    id: 'ws_S1',
    partnerId: 'partner_s',
    customerId: 'cus_S1',
    scopes: 'accounts:read me:read',
    origin: 'https://shop.example',
    expiresAt: when,
    createdAt: when,
  },
  RateLimit: { bucket: 'signin:ip:127.0.0.1', windowStart: 1_700_000_000_000n, hits: 3, expiresAt: when },
  AuditEvent: {
    id: 'aud_S1',
    actorId: 'usr_S1',
    actorRole: 'banker',
    action: 'kyc.tier_raised',
    subjectType: 'customer',
    subjectId: 'cus_S1',
    beforeState: '{"tier":1}',
    afterState: '{"tier":2}',
    reason: 'passport',
    requestId: 'req-1',
    createdAt: when,
  },
  AuditPending: { eventId: 'aud_S0' },
  AuditSeal: { seq: 9_007_199_254_740_993n, eventId: 'aud_S9', leafHash: 'e'.repeat(64), sealedAt: when },
  AuditTreeNode: { level: 3, idx: 9_007_199_254_740_993n, hash: 'f'.repeat(64) },
  AuditCheckpoint: {
    treeSize: 9_007_199_254_740_993n,
    rootHash: 'a'.repeat(64),
    body: 'bank.example/audit\n1\nAAAA\n',
    signature: 'c2ln',
    keyId: 'kid-1',
    createdAt: when,
  },
  LedgerDigest: {
    bankDate: '2026-12-01',
    digest: 'b'.repeat(64),
    accounts: 3n,
    postings: 9_007_199_254_740_993n,
    createdAt: when,
  },
  LedgerDigestHead: {
    bankDate: '2026-12-01',
    accountId: 'acc_S1',
    postingCount: 1n,
    chainHead: 'c'.repeat(64),
  },

  DailyOutgoing: {
    customerId: 'cus_S1',
    currency: 'KES',
    bankDate: '2026-12-01',
    sentMinor: 9_007_199_254_740_993n,
  },
  PartnerCustomer: {
    partnerId: 'partner_s',
    customerId: 'cus_S1',
    source: 'consent',
    createdAt: when,
    revokedAt: when,
  },
  BankState: { id: 1, clockOffsetDays: 30, openedOn: '2026-12-01' },
  BankDay: { bankDate: '2026-12-01', closedAt: when },
  JobRun: { job: 'loans.accrue_interest', bankDate: '2026-12-01', startedAt: when, finishedAt: when },
  Lease: { name: 'daily-close', holder: '123-abcdef01', expiresAt: when },
  OutboxCursor: { consumer: 'nats', position: 'evt_01JD0000000000000000000000', updatedAt: when },
  RevokedToken: { jti: 'a2f1c0de-1234-4cde-8f00-0123456789ab', expiresAt: when },
  Event: {
    id: 'evt_S1',
    type: 'transfer.completed',
    customerId: 'cus_S1',
    data: '{"transfer_id":"trf_S1"}',
    createdAt: when,
    seq: 9_007_199_254_740_993n,
  },
  RailMovement: {
    id: 'wdr_S1',
    direction: 'withdrawal',
    rail: 'mpesa',
    customerId: 'cus_S1',
    accountId: 'acc_S1',
    amountMinor: 9_007_199_254_740_993n,
    currency: 'KES',
    status: 'failed',
    failureReason: 'mpesa_2040',
    destination: '{"phone":"254712345678"}',
    destinationKey: 'mpesa:254712345678',
    railReference: 'wdr_S1',
    receipt: 'SAB1234567',
    holdId: 'hold_S1',
    entryId: 'je_S1',
    bankDate: '2026-12-01',
    createdAt: when,
    submittedAt: when,
    resolvedAt: when,
    deadlineAt: when,
    nextCheckAt: when,
    checks: 3,
    alertedAt: when,
  },
  RailReceipt: {
    rail: 'mpesa',
    receipt: 'SAB1234567',
    kind: 'c2b',
    amountMinor: 9_007_199_254_740_993n,
    currency: 'KES',
    movementId: 'dep_S1',
    target: 'loan',
    targetId: 'loan_S1',
    entryId: 'je_S1',
    reference: '123456',
    createdAt: when,
  },
  RailInbox: {
    id: 'rin_S1',
    rail: 'mpesa',
    kind: 'stk',
    reference: 'ws_CO_1',
    outcome: '{"type":"deposit.failed"}',
    receivedAt: when,
    processedAt: when,
    attempts: 2,
  },
  WebhookEndpoint: {
    id: 'whe_S1',
    ownerType: 'partner',
    ownerId: 'partner_s',
    url: 'https://partner.example/hooks',
    events: '["deposit.succeeded"]',
    secret: 'enc:v1:k:iv:body',
    status: 'disabled',
    disabledReason: '410 Gone',
    createdAt: when,
    disabledAt: when,
    deletedAt: when,
  },
  WebhookDelivery: {
    endpointId: 'whe_S1',
    eventId: 'evt_S1',
    status: 'failed',
    attempts: 8,
    nextAttemptAt: when,
    lastAttemptAt: when,
    lastStatus: 503,
    lastError: 'HTTP 503',
    createdAt: when,
    deliveredAt: when,
  },
  SavingsProduct: {
    id: 'sprod_S1',
    name: 'Fixed deposit',
    type: 'fixed_deposit',
    currency: 'KES',
    annualRate: '0.1025',
    minOpeningBalanceMinor: 9_007_199_254_740_993n,
    termMonths: '3,6,12',
    earlyCloseForfeitShare: '0.5',
    status: 'active',
    createdAt: when,
    updatedAt: when,
  },
  SavingsProductRate: {
    id: 'sprate_S1',
    productId: 'sprod_S1',
    effectiveFrom: '2026-12-01',
    annualRate: '0.1025',
    createdAt: when,
  },
  SavingsAccount: {
    accountId: 'acc_S1',
    productId: 'sprod_S1',
    openedOn: '2026-12-01',
    accruedThrough: '2026-12-31',
    accruedTimes365: '-130.123456789012345678901234567890',
    postedThrough: '2026-12-31',
    closedOn: '2027-01-15',
  },
  FixedDeposit: {
    accountId: 'acc_S1',
    productId: 'sprod_S1',
    payoutAccountId: 'acc_S1',
    termNumber: 2,
    principalMinor: 9_007_199_254_740_993n,
    annualRate: '0.1025',
    termMonths: 6,
    openedOn: '2026-08-31',
    maturityDate: '2027-02-28',
    atMaturity: 'roll_over',
    forfeitShare: '0.5',
    accruedThrough: '2026-12-01',
    accruedMinor: 9_007_199_254_740_993n,
    status: 'active',
    closedOn: '2027-01-15',
  },
  LoanProduct: {
    id: 'lprod_S1',
    name: 'Schema loan',
    currency: 'KES',
    interestMethod: 'declining_balance',
    amortization: 'equal_instalments',
    annualRate: '0.18',
    processingFeeRate: '0.02',
    penaltyRate: '0.05',
    minAmountMinor: 100_000n,
    maxAmountMinor: 9_007_199_254_740_993n,
    minTermMonths: 1,
    maxTermMonths: 12,
    graceDays: 3,
    writeOffDays: 180,
    status: 'active',
    createdAt: when,
  },
  CreditDecision: {
    id: 'dec_S1',
    customerId: 'cus_S1',
    kind: 'application',
    bankDate: '2026-12-01',
    currency: 'KES',
    decision: 'approved',
    score: 612,
    pd: '0.043210',
    grade: 'C',
    limitMinor: 9_007_199_254_740_993n,
    modelVersion: 'behavioural@1.0.0',
    policyVersion: 'sandbox-consumer@1.0.0',
    reasons: '[]',
    rules: '[]',
    features: '{}',
    bureau: '{}',
    shadow: '[]',
    createdAt: when,
  },
  LoanApplication: {
    id: 'app_S1',
    customerId: 'cus_S1',
    productId: 'lprod_S1',
    currency: 'KES',
    amountMinor: 9_007_199_254_740_993n,
    termMonths: 12,
    purpose: 'stock',
    decisionId: 'dec_S1',
    decision: 'referred',
    status: 'accepted',
    offerAmountMinor: 9_007_199_254_740_993n,
    offerTermMonths: 6,
    offerExpiresOn: '2026-12-31',
    overrideDecision: 'approve',
    overrideReason: 'known customer',
    overriddenBy: 'usr_S1',
    overrideApprovedBy: 'usr_S2',
    overriddenAt: when,
    loanId: 'loan_S1',
    createdAt: when,
    updatedAt: when,
  },
  Approval: {
    id: 'apr_S1',
    kind: 'loan_override',
    subjectType: 'loan_application',
    subjectId: 'app_S1',
    payload: '{}',
    status: 'approved',
    pendingKey: 'loan_override:app_S1',
    makerId: 'usr_S1',
    makerRole: 'banker',
    makerReason: 'known customer',
    checkerId: 'usr_S2',
    checkerReason: 'agreed',
    createdAt: when,
    decidedAt: when,
  },
  Loan: {
    id: 'loan_S1',
    loanNumber: '123456789012',
    customerId: 'cus_S1',
    productId: 'lprod_S1',
    applicationId: 'app_S1',
    walletAccountId: 'acc_S1',
    currency: 'KES',
    principalMinor: 9_007_199_254_740_993n,
    termMonths: 12,
    interestMethod: 'declining_balance',
    amortization: 'equal_principal',
    annualRate: '0.18',
    processingFeeRate: '0.02',
    processingFeeMinor: 200_000n,
    penaltyRate: '0.05',
    graceDays: 3,
    writeOffDays: 180,
    disbursementDate: '2026-12-01',
    channel: 'wallet',
    status: 'in_arrears',
    score: 612,
    principalOutstandingMinor: 9_007_199_254_740_993n,
    daysPastDue: 4,
    worstDaysPastDue: 9,
    interestAccruedThrough: '2026-12-01',
    arrearsThrough: '2026-12-01',
    penaltyCarry: '-0.123456789012345678901234567890',
    inDuplumCapMinor: 9_007_199_254_740_993n,
    inDuplumChargedMinor: 5n,
    writtenOffMinor: 7n,
    recoveredMinor: 6n,
    closedOn: '2027-12-01',
    createdAt: when,
  },
  LoanInstalment: {
    loanId: 'loan_S1',
    n: 1,
    periodStart: '2026-12-01',
    dueDate: '2027-01-01',
    principalMinor: 9_007_199_254_740_993n,
    interestMinor: 150_000n,
    feesMinor: 1_500n,
    penaltiesMinor: 126n,
    interestWaivedMinor: 1n,
    paidPrincipalMinor: 9_007_199_254_740_993n,
    paidInterestMinor: 149_999n,
    paidFeesMinor: 1_500n,
    paidPenaltiesMinor: 126n,
    settled: true,
    settledOn: '2027-01-01',
    closedEarlyDueDate: '2027-01-15',
    closedEarlyInterestMinor: 150_001n,
  },
  LoanStatusChange: {
    loanId: 'loan_S1',
    seq: 1,
    status: 'pending_disbursement',
    bankDate: '2026-12-01',
    reason: 'accepted',
    changedAt: when,
  },
  LoanPosting: {
    id: 'lpst_S1',
    loanId: 'loan_S1',
    entryId: 'je_S1',
    effectiveDate: '2026-12-01',
    kind: 'repayment',
    component: 'interest',
    amountMinor: -9_007_199_254_740_993n,
  },
  LoanRepayment: {
    id: 'lrp_S1',
    loanId: 'loan_S1',
    kind: 'repayment',
    channel: 'mpesa',
    externalRef: 'QKJ4TX7Y8Z',
    sourceAccountId: 'acc_bank_settlement_mpesa_kes',
    amountMinor: 9_007_199_254_740_993n,
    principalMinor: 1n,
    interestMinor: -2n,
    feesMinor: 3n,
    penaltiesMinor: 4n,
    excessMinor: 5n,
    entryId: 'je_S1',
    bankDate: '2026-12-01',
    initiatedBy: 'cus_S1',
    createdAt: when,
  },
  PortfolioSnapshot: {
    bankDate: '2026-12-01',
    currency: 'KES',
    loans: 3,
    outstandingPrincipalMinor: 9_007_199_254_740_993n,
    nplPrincipalMinor: 1n,
    par30PrincipalMinor: 2n,
    nplRatio: '0.0001',
    par30: '0.0002',
    byBucket: '{}',
    byClass: '{}',
    createdAt: when,
  },
  KycTierChange: {
    id: 'kyc_S1',
    customerId: 'cus_S1',
    fromTier: 1,
    toTier: 2,
    evidence: 'passport A123',
    changedBy: 'usr_S1',
    createdAt: when,
  },
  RiskPolicyVersion: {
    id: 'rpol_S1',
    version: 2,
    policyId: 'sandbox-consumer',
    rules: '{}',
    reason: 'stricter',
    createdBy: 'usr_S1',
    approvedBy: 'usr_S2',
    createdAt: when,
  },
  RiskModelActivation: {
    id: 'mact_S1',
    modelVersion: 'behavioural-woe@1.0.0',
    previousVersion: 'behavioural@1.0.0',
    governance: '{}',
    reason: 'better AUC',
    activatedBy: 'usr_S1',
    approvedBy: 'usr_S2',
    createdAt: when,
  },
};

async function columnsOf(db: Database, table: string): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT name FROM pragma_table_info('${table}')`,
    );
    return rows.map((r) => r.name).sort();
  }
  const rows = await db.prisma.$queryRawUnsafe<{ c: string }[]>(
    'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    table,
  );
  return rows.map((r) => r.c).sort();
}

describe.each(testDialects())('the Prisma schema and the %s migrations', (dialect: Dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await migrate(database.url);
    db = await openDatabase(database.url);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const models = () =>
    (db.prisma as unknown as { _runtimeDataModel: { models: RuntimeModels } })._runtimeDataModel.models;

  it('when the migrations have run, then every model maps to a table with exactly its columns', async () => {
    expect(Object.keys(models()).sort()).toEqual(Object.keys(ROWS).sort());
    for (const [name, model] of Object.entries(models())) {
      const expected = model.fields
        .filter((f) => f.kind === 'scalar')
        .map((f) => f.dbName ?? f.name)
        .sort();
      expect(await columnsOf(db, model.dbName ?? name), name).toEqual(expected);
    }
  });

  it('when a full row of every model is written through Prisma, then it reads back identical', async () => {
    for (const name of Object.keys(ROWS)) {
      const delegate = (
        db.prisma as unknown as Record<
          string,
          { create(a: unknown): Promise<unknown>; findMany(a?: unknown): Promise<unknown[]> }
        >
      )[name.charAt(0).toLowerCase() + name.slice(1)]!;
      const row = ROWS[name]!;
      await delegate.create({ data: row });
      // Written rows are found by their own values (a trigger may have added others, e.g. audit_pending).
      const [stored] = await delegate.findMany({ where: row });
      expect(stored, name).toEqual(row);
    }
  });

  it('when the runner runs again, then nothing is applied twice', async () => {
    const again = await migrate(database.url);
    expect(again.applied).toEqual([]);
    const count = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      'SELECT COUNT(*) AS n FROM schema_migrations',
    );
    expect(Number(count[0]?.n)).toBe(loadMigrations(dialect).length);
  });
});
