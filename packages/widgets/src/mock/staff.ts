/**
 * Mock mode for the staff widgets: an in-memory bank side for bankers and administrators, on the
 * wire as the server answers it (snake_case, money as decimal strings) so the widgets go through
 * the real SDK and its response validation. Customers and their 360, a referred application, the
 * maker-checker queue, the portfolio and its history, models, the policy with a dry run, and an
 * audit log whose proofs and Ed25519-signed checkpoint are real (made with WebCrypto on first use),
 * so the in-browser verification is exercised in Storybook too.
 */
import { auditLeafFieldsOf, auditLeafHash, checkpointBody, rootHash } from '@wekeza/sdk/audit';

interface Answer {
  status: number;
  body: unknown;
}

type Problem = (status: number, code: string, detail?: string) => Answer;

const kes = (amount: string) => ({ amount, currency: 'KES' });
const ts = (day: string, time = '09:00:00.000') => `${day}T${time}Z`;

/** The banker the mock signs in as (approvals they made are refused as their own). */
export const MOCK_STAFF_ID = 'usr_mockbanker';
export const MOCK_REFERRED_APPLICATION_ID = 'app_01MOCKREFERRED';
export const MOCK_STAFF_CUSTOMER_ID = 'cus_01MOCKWANJIRU';
/** Overrides above this (KES) wait for a second banker in mock mode, as the sandbox does. */
const OVERRIDE_THRESHOLD_MINOR = 5_000_000n;

function toMinor(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole + fraction.padEnd(2, '0').slice(0, 2));
}

function day(offset: number, from = '2026-09-30'): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

const CUSTOMERS = [
  {
    id: MOCK_STAFF_CUSTOMER_ID,
    full_name: 'Wanjiru Kamau',
    email: 'wanjiru@example.test',
    phone: '+254711000111',
    national_id: '24681357',
    kyc_tier: 1,
  },
  {
    id: 'cus_01MOCKBRIAN',
    full_name: 'Brian Otieno',
    email: 'brian@example.test',
    phone: '+254722000222',
    national_id: '13572468',
    kyc_tier: 2,
  },
  {
    id: 'cus_01MOCKAMINA',
    full_name: 'Amina Hassan',
    email: 'amina@example.test',
    phone: '+254733000333',
    national_id: null,
    kyc_tier: 0,
  },
];

function summary(c: (typeof CUSTOMERS)[number]) {
  return { ...c, status: 'active', created_at: ts('2026-03-02') };
}

function application(overrides: Record<string, unknown> = {}) {
  return {
    id: MOCK_REFERRED_APPLICATION_ID,
    status: 'referred',
    decision: 'referred',
    customer_id: MOCK_STAFF_CUSTOMER_ID,
    product_id: 'lprod_sandbox_personal',
    amount: kes('40000.00'),
    term_months: 12,
    purpose: 'Stock for the shop',
    decision_id: 'dec_01MOCKDECISION',
    score: 512,
    pd: '0.081200',
    grade: 'D',
    limit: kes('35000.00'),
    model_version: 'behavioural@1.0.0',
    policy_version: 'sandbox-consumer@1',
    reasons: [
      { code: 'score_in_refer_band', text: 'The score is in the band a banker reviews.' },
      { code: 'short_history', text: 'Less than six months of wallet history.' },
      { code: 'inflow_volatile', text: 'Monthly inflows vary a lot.' },
    ],
    offer: null,
    override: null,
    loan_id: null,
    created_at: ts('2026-09-29', '10:15:00.000'),
    updated_at: ts('2026-09-29', '10:15:00.000'),
    ...overrides,
  };
}

function governance(auc: string | null, ks: string | null, psi: string | null) {
  return {
    as_of: '2026-09-30',
    matured_loans: auc === null ? 4 : 214,
    bad_loans: auc === null ? 0 : 23,
    auc,
    gini: auc === null ? null : (Number(auc) * 2 - 1).toFixed(4),
    ks,
    psi,
    psi_status:
      psi === null ? null : Number(psi) < 0.1 ? 'stable' : Number(psi) < 0.25 ? 'monitor' : 'shifted',
    recent_applicants: 180,
    calibration:
      auc === null
        ? []
        : [
            { band: '0-399', loans: 20, bads: 7, expected_bad_rate: '0.3100', observed_bad_rate: '0.3500' },
            { band: '400-499', loans: 48, bads: 9, expected_bad_rate: '0.1700', observed_bad_rate: '0.1875' },
            { band: '500-599', loans: 71, bads: 5, expected_bad_rate: '0.0800', observed_bad_rate: '0.0704' },
            { band: '600-699', loans: 52, bads: 2, expected_bad_rate: '0.0350', observed_bad_rate: '0.0385' },
            { band: '700+', loans: 23, bads: 0, expected_bad_rate: '0.0100', observed_bad_rate: '0.0000' },
          ],
  };
}

const POLICY_RULES = {
  cutoffs: { approve_min_score: 540, refer_min_score: 460 },
  bureau: {
    decline_on_negative_listing: true,
    on_unavailable: 'refer',
    on_thin_file: 'refer',
    thin_file_limit_factor: '0.5',
    refer_above_worst_days_past_due: 30,
  },
  minimum_tenure_months: 0,
  kyc_tier_caps: [
    { tier: 'tier1', cap_minor: '5000000' },
    { tier: 'tier2', cap_minor: '50000000' },
  ],
  limits: {
    grade_multiples: [
      { grade: 'A', multiple: '3' },
      { grade: 'B', multiple: '2' },
      { grade: 'C', multiple: '1.2' },
      { grade: 'D', multiple: '0.6' },
    ],
    affordability: { max_instalment_share: '0.3', annual_rate: '0.18', term_months: 12 },
    round_down_to_minor: '10000',
    minimum_limit_minor: '50000',
  },
};

interface MockAuditEvent {
  id: string;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
  created_at: string;
  seal: { leaf_index: number; leaf_hash: string } | null;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) over leaf hashes. */
async function auditPath(index: number, leaves: Uint8Array[]): Promise<Uint8Array[]> {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return index < k
    ? [...(await auditPath(index, leaves.slice(0, k))), await rootHash(leaves.slice(k))]
    : [...(await auditPath(index - k, leaves.slice(k))), await rootHash(leaves.slice(0, k))];
}

/** The staff side of the mock bank. */
export class StaffMock {
  readonly applications = new Map<string, Record<string, unknown>>([
    [MOCK_REFERRED_APPLICATION_ID, application()],
  ]);
  readonly approvals: Record<string, unknown>[] = [
    {
      id: 'apr_01MOCKOTHER',
      kind: 'loan_override',
      status: 'pending',
      subject: { type: 'loan_application', id: 'app_01MOCKBRIANBIG' },
      payload: { decision: 'approve', amount: kes('120000.00'), term_months: 24 },
      maker_id: 'usr_banker2',
      maker_reason: 'Salary inflows verified with the employer.',
      checker_id: null,
      checker_reason: null,
      created_at: ts('2026-09-30', '08:30:00.000'),
      decided_at: null,
    },
    {
      id: 'apr_01MOCKOWN',
      kind: 'loan_override',
      status: 'pending',
      subject: { type: 'loan_application', id: 'app_01MOCKOWNBIG' },
      payload: { decision: 'approve', amount: kes('90000.00'), term_months: 12 },
      maker_id: MOCK_STAFF_ID,
      maker_reason: 'Long-standing customer with a steady business.',
      checker_id: null,
      checker_reason: null,
      created_at: ts('2026-09-30', '08:45:00.000'),
      decided_at: null,
    },
  ];
  models: (Record<string, unknown> & {
    version: string;
    role: string;
    governance: unknown;
    activated_at: string | null;
    activated_by: string | null;
  })[] = [
    {
      version: 'behavioural@1.0.0',
      name: 'behavioural',
      role: 'champion',
      description: 'Logistic scorecard on wallet behaviour.',
      trained_at: '2026-01-15',
      training: { rows: 100000, bad_rate: '0.0900', auc: '0.7810', ks: '0.4230' },
      governance: governance('0.7620', '0.4010', '0.0420'),
      activated_at: ts('2026-02-01'),
      activated_by: 'usr_admin',
    },
    {
      version: 'behavioural@1.1.0',
      name: 'behavioural',
      role: 'challenger',
      description: 'Adds airtime top-up regularity.',
      trained_at: '2026-08-20',
      training: { rows: 120000, bad_rate: '0.0880', auc: '0.7950', ks: '0.4410' },
      governance: governance('0.7790', '0.4190', '0.0610'),
      activated_at: null,
      activated_by: null,
    },
  ];
  policy: Record<string, unknown> & { version: string } = {
    id: 'sandbox-consumer',
    version: '1',
    policy_version: 'sandbox-consumer@1',
    rules: POLICY_RULES as Record<string, unknown>,
    reason: null,
    created_by: 'usr_admin',
    approved_by: null,
    created_at: ts('2026-02-01'),
  };
  readonly audit: MockAuditEvent[] = [];
  #signer: Promise<{ publicJwk: JsonWebKey; key: CryptoKey }> | undefined;
  #sequence = 0;

  constructor() {
    const base: [
      string,
      string,
      string,
      { type: string; id: string | null },
      unknown,
      unknown,
      string | null,
    ][] = [
      [
        'usr_admin',
        'admin',
        'risk.model_activated',
        { type: 'risk_model', id: 'behavioural@1.0.0' },
        null,
        { version: 'behavioural@1.0.0' },
        'First model in production.',
      ],
      [
        'usr_banker2',
        'banker',
        'customer.viewed',
        { type: 'customer', id: 'cus_01MOCKBRIAN' },
        null,
        null,
        null,
      ],
      [
        'usr_banker2',
        'banker',
        'kyc.tier_raised',
        { type: 'customer', id: 'cus_01MOCKBRIAN' },
        { kyc_tier: 1 },
        { kyc_tier: 2 },
        'Passport and utility bill checked.',
      ],
      [
        'usr_banker2',
        'banker',
        'approval.requested',
        { type: 'loan_application', id: 'app_01MOCKBRIANBIG' },
        null,
        { decision: 'approve', amount: '120000.00' },
        'Salary inflows verified with the employer.',
      ],
      [
        MOCK_STAFF_ID,
        'banker',
        'customer.searched',
        { type: 'customer', id: null },
        null,
        { query: 'Wanjiru' },
        null,
      ],
    ];
    for (const [i, [actorId, role, action, subject, before, after, reason]] of base.entries()) {
      this.#record(
        actorId,
        role,
        action,
        subject,
        before,
        after,
        reason,
        ts(day(-base.length + i + 1), '07:00:00.000'),
      );
    }
  }

  #record(
    actorId: string,
    role: string,
    action: string,
    subject: { type: string; id: string | null },
    before: unknown,
    after: unknown,
    reason: string | null,
    createdAt = new Date().toISOString(),
  ): void {
    this.audit.push({
      id: `aud_mock${String(++this.#sequence).padStart(4, '0')}`,
      actor: { id: actorId, role },
      action,
      subject,
      before,
      after,
      reason,
      request_id: `req_mock_audit_${this.#sequence}`,
      created_at: createdAt,
      seal: null,
    });
  }

  async #leaves(): Promise<Uint8Array[]> {
    const leaves: Uint8Array[] = [];
    for (const [index, event] of this.audit.entries()) {
      const leaf = await auditLeafHash(auditLeafFieldsOf(event));
      event.seal = { leaf_index: index, leaf_hash: toBase64(leaf) };
      leaves.push(leaf);
    }
    return leaves;
  }

  #keys(): Promise<{ publicJwk: JsonWebKey; key: CryptoKey }> {
    this.#signer ??= (async () => {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
      return {
        publicJwk: { ...publicJwk, kid: 'mock-key-1', use: 'sig', alg: 'EdDSA' } as JsonWebKey,
        key: pair.privateKey,
      };
    })();
    return this.#signer;
  }

  async #checkpoint() {
    const leaves = await this.#leaves();
    const root = await rootHash(leaves);
    const body = checkpointBody({
      origin: 'mock.wekeza.invalid/audit',
      treeSize: leaves.length,
      rootHash: root,
    });
    const { key } = await this.#keys();
    const signature = new Uint8Array(
      await crypto.subtle.sign({ name: 'Ed25519' }, key, new TextEncoder().encode(body)),
    );
    return {
      origin: 'mock.wekeza.invalid/audit',
      tree_size: leaves.length,
      root_hash: toBase64(root),
      body,
      signature: toBase64(signature),
      key_id: 'mock-key-1',
    };
  }

  #portfolio(offset: number) {
    // A deterministic book whose quality drifts slowly: NPL 3–6 %, PAR30 6–10 %.
    const npl = 0.045 + 0.012 * Math.sin(offset / 14);
    const par = npl + 0.035 + 0.008 * Math.cos(offset / 9);
    const outstanding = 48_500_000n + BigInt(offset) * 25_000n;
    const share = (r: number) => ((outstanding * BigInt(Math.round(r * 10000))) / 10000n).toString();
    const money = (minor: string) => kes(`${minor.slice(0, -2) || '0'}.${minor.slice(-2).padStart(2, '0')}`);
    const slice = (loans: number, r: number) => ({ loans, principal: money(share(r)) });
    return {
      loans: 412,
      outstanding_principal: money(outstanding.toString()),
      npl_principal: money(share(npl)),
      par30_principal: money(share(par)),
      npl_ratio: npl.toFixed(4),
      par30: par.toFixed(4),
      loans_by_bucket: {
        current: slice(331, 0.82),
        '1-30': slice(43, 0.1 - (par - npl)),
        '31-60': slice(14, (par - npl) / 2),
        '61-90': slice(9, (par - npl) / 2),
        '91+': slice(15, npl),
      },
      loans_by_class: {
        normal: slice(331, 0.82),
        watch: slice(43, 0.1 - (par - npl)),
        substandard: slice(23, par - npl),
        doubtful: slice(9, npl * 0.6),
        loss: slice(6, npl * 0.4),
      },
    };
  }

  /** Answers a staff request, or undefined when the path is not a staff one. */
  async route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    problem: Problem,
  ): Promise<Answer | undefined> {
    const input = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === '/v1/customers') {
      const q = (query.get('query') ?? '').toLowerCase();
      const data = CUSTOMERS.filter((c) =>
        [c.full_name, c.email, c.phone, c.national_id ?? '', c.id].some((v) => v.toLowerCase().includes(q)),
      ).map(summary);
      this.#record(
        MOCK_STAFF_ID,
        'banker',
        'customer.searched',
        { type: 'customer', id: null },
        null,
        { query: q },
        null,
      );
      return { status: 200, body: { data, has_more: false, next_cursor: null } };
    }
    let match = /^\/v1\/customers\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const c = CUSTOMERS.find((x) => x.id === decodeURIComponent(match?.[1] ?? ''));
      if (!c) return problem(404, 'not_found');
      this.#record(
        MOCK_STAFF_ID,
        'banker',
        'customer.viewed',
        { type: 'customer', id: c.id },
        null,
        null,
        null,
      );
      return { status: 200, body: this.#customer360(c) };
    }
    match = /^\/v1\/loan-applications\/([^/]+)(\/override)?$/.exec(path);
    if (match) {
      const app = this.applications.get(decodeURIComponent(match[1] ?? ''));
      if (!app) return problem(404, 'not_found');
      if (method === 'GET' && !match[2]) return { status: 200, body: app };
      if (method === 'POST' && match[2]) return this.#override(app, input, problem);
    }
    if (method === 'GET' && path === '/v1/approvals') {
      const status = query.get('status');
      const data = this.approvals.filter((a) => status === null || a.status === status);
      return { status: 200, body: { data, has_more: false, next_cursor: null } };
    }
    match = /^\/v1\/approvals\/([^/]+)\/(approve|reject)$/.exec(path);
    if (method === 'POST' && match) {
      const approval = this.approvals.find((a) => a.id === decodeURIComponent(match?.[1] ?? ''));
      if (!approval) return problem(404, 'not_found');
      if (approval.maker_id === MOCK_STAFF_ID)
        return problem(403, 'forbidden', 'You cannot decide your own request.');
      if (approval.status !== 'pending') return problem(409, 'conflict', 'Already decided.');
      if (typeof input.reason !== 'string' || input.reason.trim().length < 3)
        return problem(422, 'validation_failed');
      approval.status = match[2] === 'approve' ? 'approved' : 'rejected';
      approval.checker_id = MOCK_STAFF_ID;
      approval.checker_reason = input.reason;
      approval.decided_at = new Date().toISOString();
      this.#record(
        MOCK_STAFF_ID,
        'banker',
        `approval.${approval.status}`,
        { type: 'approval', id: approval.id as string },
        { status: 'pending' },
        { status: approval.status },
        input.reason,
      );
      return { status: 200, body: approval };
    }
    if (method === 'GET' && path === '/v1/risk/portfolio') {
      return {
        status: 200,
        body: {
          currency: 'KES',
          as_of: day(0),
          ...this.#portfolio(0),
          score_distribution: [
            { band: '0-399', loans: 31, principal: kes('2900000.00') },
            { band: '400-499', loans: 88, principal: kes('9800000.00') },
            { band: '500-599', loans: 142, principal: kes('17400000.00') },
            { band: '600-699', loans: 103, principal: kes('13100000.00') },
            { band: '700+', loans: 48, principal: kes('5300000.00') },
          ],
        },
      };
    }
    if (method === 'GET' && path === '/v1/risk/portfolio/history') {
      const data = Array.from({ length: 60 }, (_, i) => ({
        bank_date: day(i - 59),
        ...this.#portfolio(i - 59),
      }));
      return { status: 200, body: { currency: 'KES', from: day(-59), to: day(0), data } };
    }
    if (method === 'GET' && path === '/v1/risk/models')
      return { status: 200, body: { data: this.models, has_more: false, next_cursor: null } };
    if (method === 'GET' && path === '/v1/risk/models/compare') {
      return {
        status: 200,
        body: {
          as_of: day(0),
          applicants: 180,
          agreement: '0.9120',
          models: this.models.map((m, i) => ({
            version: m.version,
            role: m.role,
            governance: m.governance,
            approval_rate: i === 0 ? '0.6100' : '0.6480',
            mean_pd: i === 0 ? '0.0610' : '0.0570',
          })),
        },
      };
    }
    match = /^\/v1\/risk\/models\/([^/]+)\/activate$/.exec(path);
    if (method === 'POST' && match) {
      const version = decodeURIComponent(match[1] ?? '');
      const model = this.models.find((m) => m.version === version);
      if (!model) return problem(404, 'not_found');
      const previous = this.models.find((m) => m.role === 'champion');
      for (const m of this.models) m.role = m === model ? 'champion' : 'challenger';
      model.activated_at = new Date().toISOString();
      model.activated_by = MOCK_STAFF_ID;
      this.#record(
        MOCK_STAFF_ID,
        'admin',
        'risk.model_activated',
        { type: 'risk_model', id: version },
        { version: previous?.version ?? null },
        { version },
        String(input.reason ?? ''),
      );
      return {
        status: 200,
        body: {
          id: 'mact_01MOCK',
          version,
          previous_version: previous?.version ?? null,
          governance: model.governance,
          reason: String(input.reason ?? ''),
          activated_by: MOCK_STAFF_ID,
          approved_by: null,
          created_at: new Date().toISOString(),
        },
      };
    }
    if (method === 'GET' && path === '/v1/risk/policy') return { status: 200, body: this.policy };
    if (method === 'POST' && path === '/v1/risk/policy/dry-run')
      return { status: 200, body: this.#dryRun(input) };
    if (method === 'PUT' && path === '/v1/risk/policy') {
      const version = String(Number(this.policy.version) + 1);
      this.#record(
        MOCK_STAFF_ID,
        'admin',
        'risk.policy_changed',
        { type: 'risk_policy', id: 'sandbox-consumer' },
        { version: this.policy.version },
        { version },
        String(input.reason ?? ''),
      );
      this.policy = {
        ...this.policy,
        version,
        policy_version: `sandbox-consumer@${version}`,
        rules: input.rules as Record<string, unknown>,
        reason: String(input.reason ?? ''),
        created_by: MOCK_STAFF_ID,
        created_at: new Date().toISOString(),
      };
      return { status: 200, body: this.policy };
    }
    if (method === 'GET' && path === '/v1/audit-events') {
      await this.#leaves();
      const newest = [...this.audit].reverse();
      const limit = Number(query.get('limit') ?? 20);
      const after = query.get('starting_after');
      const start = after === null ? 0 : newest.findIndex((e) => e.id === after) + 1;
      const data = newest.slice(start, start + limit);
      const hasMore = start + limit < newest.length;
      return {
        status: 200,
        body: { data, has_more: hasMore, next_cursor: hasMore ? (data.at(-1)?.id ?? null) : null },
      };
    }
    if (method === 'GET' && path === '/v1/audit-events/verify') {
      const checkpoint = await this.#checkpoint();
      return {
        status: 200,
        body: {
          valid: true,
          checked: checkpoint.tree_size,
          first_broken_id: null,
          tree_size: checkpoint.tree_size,
          root_hash: checkpoint.root_hash,
          unsealed: 0,
          reason: null,
        },
      };
    }
    match = /^\/v1\/audit-events\/([^/]+)\/proof$/.exec(path);
    if (method === 'GET' && match) {
      const leaves = await this.#leaves();
      const index = this.audit.findIndex((e) => e.id === decodeURIComponent(match?.[1] ?? ''));
      if (index < 0) return problem(404, 'not_found');
      const size = Number(query.get('tree_size') ?? leaves.length);
      if (index >= size || size > leaves.length) return problem(409, 'not_sealed');
      const path = await auditPath(index, leaves.slice(0, size));
      return {
        status: 200,
        body: {
          leaf_index: index,
          tree_size: size,
          leaf_hash: toBase64(leaves[index] as Uint8Array),
          audit_path: path.map(toBase64),
        },
      };
    }
    if (method === 'GET' && path === '/v1/audit/checkpoints/latest')
      return { status: 200, body: await this.#checkpoint() };
    if (method === 'GET' && path === '/v1/audit/public-keys')
      return { status: 200, body: { keys: [(await this.#keys()).publicJwk] } };
    return undefined;
  }

  #override(app: Record<string, unknown>, input: Record<string, unknown>, problem: Problem): Answer {
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length < 3 || (input.decision !== 'approve' && input.decision !== 'decline')) {
      return {
        ...problem(422, 'validation_failed', 'The request is not valid'),
      };
    }
    if (app.status !== 'referred' && app.status !== 'declined' && app.status !== 'approved')
      return problem(409, 'conflict');
    const amount = app.amount as { amount: string };
    if (input.decision === 'approve' && toMinor(amount.amount) > OVERRIDE_THRESHOLD_MINOR) {
      const approval = {
        id: `apr_01MOCK${++this.#sequence}`,
        kind: 'loan_override',
        status: 'pending',
        subject: { type: 'loan_application', id: app.id as string },
        payload: { decision: input.decision, amount: app.amount },
        maker_id: MOCK_STAFF_ID,
        maker_reason: reason,
        checker_id: null,
        checker_reason: null,
        created_at: new Date().toISOString(),
        decided_at: null,
      };
      this.approvals.push(approval);
      app.status = 'pending_approval';
      this.#record(
        MOCK_STAFF_ID,
        'banker',
        'approval.requested',
        { type: 'loan_application', id: app.id as string },
        null,
        { decision: input.decision },
        reason,
      );
      return { status: 202, body: approval };
    }
    const before = app.status;
    app.status = input.decision === 'approve' ? 'approved' : 'declined';
    app.override = {
      decision: input.decision,
      reason,
      by: MOCK_STAFF_ID,
      approved_by: null,
      at: new Date().toISOString(),
    };
    app.updated_at = new Date().toISOString();
    this.#record(
      MOCK_STAFF_ID,
      'banker',
      'loan_application.overridden',
      { type: 'loan_application', id: app.id as string },
      { status: before },
      { status: app.status },
      reason,
    );
    return { status: 200, body: app };
  }

  #dryRun(input: Record<string, unknown>) {
    const rules = (input.rules ?? {}) as { cutoffs?: { approve_min_score?: number } };
    const cut = rules.cutoffs?.approve_min_score ?? 540;
    const n = typeof input.last_n === 'number' ? Math.min(input.last_n, 180) : 180;
    // Scores of the last applications spread evenly from 380 to 739: each point of cut-off moves ~0.5 %.
    const approvedAt = (c: number) => Math.max(0, Math.min(n, Math.round((n * (740 - c)) / 360)));
    const current = approvedAt(540);
    const proposed = approvedAt(cut);
    const outcomes = (approved: number, c: number) => ({
      approved,
      referred: Math.min(n - approved, Math.round((n * 80) / 360)),
      declined: n - approved - Math.min(n - approved, Math.round((n * 80) / 360)),
      approval_rate: (approved / n).toFixed(4),
      expected_bad_rate: approved === 0 ? null : (0.02 + (740 - c) / 6000).toFixed(4),
    });
    const more = Math.max(0, proposed - current);
    const fewer = Math.max(0, current - proposed);
    return {
      applications: n,
      from: ts(day(-30)),
      to: ts(day(0)),
      model_version: 'behavioural@1.0.0',
      current: outcomes(current, 540),
      proposed: outcomes(proposed, cut),
      newly_approved: more,
      newly_declined: fewer,
      changed: more + fewer,
      expected_bad_rate_of_newly_approved: more === 0 ? null : (0.02 + (740 - cut) / 4000).toFixed(4),
      summary:
        more > 0
          ? `This change would have approved ${more} more, at expected bad rate ${((0.02 + (740 - cut) / 4000) * 100).toFixed(1)}%.`
          : fewer > 0
            ? `This change would have approved ${fewer} fewer of the last ${n} applications.`
            : `This change would not have changed any of the last ${n} decisions.`,
    };
  }

  #customer360(c: (typeof CUSTOMERS)[number]) {
    const wanjiru = c.id === MOCK_STAFF_CUSTOMER_ID;
    const app = this.applications.get(MOCK_REFERRED_APPLICATION_ID) as Record<string, unknown>;
    return {
      customer: { ...summary(c), roles: ['customer'], wallet_account_id: `acc_${c.id.slice(4)}W` },
      kyc: {
        tier: c.kyc_tier,
        limits: [
          {
            currency: 'KES',
            max_balance: kes('100000.00'),
            daily_outgoing: kes('70000.00'),
            loan_cap: kes('50000.00'),
          },
        ],
        history:
          c.kyc_tier > 0
            ? [
                {
                  id: 'kyc_01MOCK',
                  from_tier: 0,
                  to_tier: c.kyc_tier,
                  evidence: 'National ID checked in branch.',
                  changed_by: 'usr_banker2',
                  at: ts('2026-03-02', '11:00:00.000'),
                },
              ]
            : [],
      },
      accounts: [
        {
          id: `acc_${c.id.slice(4)}W`,
          type: 'wallet',
          currency: 'KES',
          status: 'open',
          balance: { ledger: kes('18250.00'), available: kes('17250.00') },
          created_at: ts('2026-03-02'),
        },
        {
          id: `acc_${c.id.slice(4)}S`,
          type: 'savings',
          currency: 'KES',
          status: 'open',
          balance: { ledger: kes('42000.00'), available: kes('42000.00') },
          created_at: ts('2026-04-10'),
        },
      ],
      loans: [
        {
          id: `loan_${c.id.slice(4)}1`,
          loan_number: '100234',
          status: wanjiru ? 'in_arrears' : 'active',
          label: 'Haraka digital loan',
          currency: 'KES',
          product_id: 'lprod_sandbox_digital',
          application_id: null,
          principal: kes('10000.00'),
          outstanding_principal: kes('4200.00'),
          outstanding_total: kes('4650.00'),
          days_past_due: wanjiru ? 12 : 0,
          worst_days_past_due: wanjiru ? 12 : 3,
          arrears_bucket: wanjiru ? '1-30' : 'current',
          cbk_class: wanjiru ? 'watch' : 'normal',
          disbursement_date: '2026-07-01',
          closed_on: null,
        },
      ],
      applications: wanjiru
        ? [
            {
              id: app.id,
              status: app.status,
              decision: app.decision,
              decision_id: app.decision_id,
              product_id: app.product_id,
              amount: app.amount,
              term_months: app.term_months,
              loan_id: app.loan_id,
              created_at: app.created_at,
            },
          ]
        : [],
      credit_decisions: [
        {
          id: 'dec_01MOCKDECISION',
          kind: 'application',
          bank_date: '2026-09-29',
          decision: wanjiru ? 'referred' : 'approved',
          score: wanjiru ? 512 : 655,
          pd: wanjiru ? '0.081200' : '0.031000',
          grade: wanjiru ? 'D' : 'B',
          limit: kes(wanjiru ? '35000.00' : '80000.00'),
          model_version: 'behavioural@1.0.0',
          policy_version: 'sandbox-consumer@1',
          reasons: wanjiru ? (app.reasons as unknown[]) : [],
          features: {
            months_of_history: wanjiru ? 4 : 19,
            avg_monthly_inflow: wanjiru ? 23150 : 61000,
            inflow_volatility: wanjiru ? 0.62 : 0.21,
            max_days_past_due: wanjiru ? 12 : 3,
          },
          shadow: [{ version: 'behavioural@1.1.0', score: wanjiru ? 531 : 662 }],
          created_at: ts('2026-09-29', '10:15:00.000'),
        },
      ],
      overrides: app.override && wanjiru ? [{ application_id: app.id, ...(app.override as object) }] : [],
      recent_activity: [
        { id: 'evt_01MOCK1', type: 'loan.in_arrears', created_at: ts('2026-09-20'), data: {} },
        { id: 'evt_01MOCK2', type: 'transfer.completed', created_at: ts('2026-09-18'), data: {} },
      ],
      as_of: '2026-09-30',
    };
  }
}
