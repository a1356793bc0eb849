/**
 * Property-based fuzzing of every endpoint in the API's own OpenAPI document: requests generated
 * from each route's request schema, plus malformed variants (fields dropped, retyped, added, bodies
 * that are not objects at all), sent as every kind of caller. Never a 5xx; and after a refused
 * request, no balance and no row count has changed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};
type Operation = {
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  parameters?: { name: string; in: string; schema: JsonSchema }[];
};

/** Values drawn from the schema, with real ids and money-like strings mixed in where fields call for them. */
function arbitraryOf(schema: JsonSchema, ids: string[], name = ''): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => arbitraryOf(s, ids, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      return fc.record(
        Object.fromEntries(Object.entries(props).map(([k, s]) => [k, arbitraryOf(s, ids, k)])),
        {
          requiredKeys: (schema.required ?? []).filter((k) => k in props),
        },
      );
    }
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, ids, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 6),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.oneof(fc.double(), fc.integer());
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const options: fc.Arbitrary<string>[] = [fc.string({ maxLength: schema.maxLength ?? 40 })];
      if (name === 'amount')
        options.push(
          fc.stringMatching(/^[0-9]{1,7}(\.[0-9]{1,2})?$/),
          fc.constantFrom('0.01', '5.00', '99999999.99'),
        );
      if (name.endsWith('id') && ids.length) options.push(fc.constantFrom(...ids));
      if (schema.pattern && !schema.pattern.includes('(?'))
        options.push(fc.stringMatching(new RegExp(schema.pattern)));
      if (schema.format === 'email') options.push(fc.emailAddress());
      return fc.oneof(...options);
    }
    default:
      return fc.anything();
  }
}

/** A valid-looking body, or one broken in one of the ways clients break them. */
function bodyOf(schema: JsonSchema | undefined, ids: string[]): fc.Arbitrary<unknown> {
  if (!schema) return fc.oneof(fc.constant(undefined), fc.jsonValue());
  const valid = arbitraryOf(schema, ids);
  const mutated = fc
    .tuple(valid, fc.nat(), fc.jsonValue(), fc.string({ minLength: 1, maxLength: 12 }))
    .map(([body, n, junk, key]) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return junk;
      const copy = { ...(body as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const victim = keys[n % Math.max(1, keys.length)];
      switch (n % 3) {
        case 0:
          if (victim) delete copy[victim];
          return copy;
        case 1:
          if (victim) copy[victim] = junk;
          return copy;
        default:
          return { ...copy, [key]: junk };
      }
    });
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 2, arbitrary: mutated },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
}

async function snapshot(bank: TestBank, withAudit: boolean) {
  // Rail callbacks arrive asynchronously: deliver what the simulator has scheduled before looking.
  await bank.services.simulator?.flush();
  const p = bank.db.prisma;
  const counts = await Promise.all([
    p.user.count(),
    p.journalEntry.count(),
    p.posting.count(),
    p.transfer.count(),
    p.hold.count(),
    p.refreshToken.count(),
    p.recoveryCode.count(),
    p.widgetSession.count(),
    p.totpFactor.count({ where: { status: 'enabled' } }),
    withAudit ? p.auditEvent.count() : 0,
    p.event.count(),
    p.revokedToken.count(),
    p.railMovement.count(),
    p.railReceipt.count(),
    p.webhookEndpoint.count({ where: { deletedAt: null } }),
    p.dailyOutgoing.findMany({ orderBy: [{ customerId: 'asc' }, { bankDate: 'asc' }] }),
    p.partnerCustomer.findMany({ select: { partnerId: true, customerId: true, revokedAt: true } }),
    p.account.findMany({ select: { id: true, balanceMinor: true, heldMinor: true }, orderBy: { id: 'asc' } }),
    p.user.findMany({ select: { id: true, kycTier: true }, orderBy: { id: 'asc' } }),
    p.savingsProduct.findMany({ orderBy: { id: 'asc' } }),
    p.savingsProductRate.count(),
    p.savingsAccount.findMany({ orderBy: { accountId: 'asc' } }),
    p.fixedDeposit.findMany({ orderBy: { accountId: 'asc' } }),
    p.loanProduct.count(),
    p.creditDecision.count(),
    p.loanApplication.findMany({
      select: { id: true, status: true, offerAmountMinor: true },
      orderBy: { id: 'asc' },
    }),
    p.approval.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } }),
    p.loan.findMany({
      select: { id: true, status: true, principalOutstandingMinor: true, recoveredMinor: true },
      orderBy: { id: 'asc' },
    }),
    p.loanInstalment.count(),
    p.loanPosting.count(),
    p.loanRepayment.count(),
    p.loanStatusChange.count(),
    p.portfolioSnapshot.count(),
    p.$queryRawUnsafe('SELECT COUNT(*) AS n FROM insurance_products'),
    p.policy.findMany({ select: { id: true, status: true, nextDueDate: true }, orderBy: { id: 'asc' } }),
    p.policyPremium.count(),
    p.insuranceClaim.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } }),
    p.insuranceRemittance.count(),
    p.savedPayee.count(),
  ]);
  return JSON.stringify(counts, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

describe.each(testDialects())('fuzzing every endpoint on %s', (dialect) => {
  let bank: TestBank;
  let doc: { paths: Record<string, Record<string, Operation>> };
  const callers: Http[] = [];
  const ids: string[] = [];
  const origin = 'https://shop.example';
  beforeAll(async () => {
    bank = await startTestBank(dialect);
    const admin = await login(bank, 'admin@sandbox.test');
    const a = await newCustomer(bank);
    const b = await newCustomer(bank);
    await fund(admin, a.walletId, '5000.00');
    const t = await a.http.post('/v1/transfers', {
      from_account_id: a.walletId,
      to_account_id: b.walletId,
      amount: { amount: '1.00', currency: 'KES' },
    });
    const partnerToken = await new Http(bank.url).post<{ access_token: string }>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_id: 'sandbox_partner',
      client_secret: 'sandbox-partner-secret',
    });
    const partner = new Http(bank.url, partnerToken.body.access_token);
    await a.http.post('/v1/me/partner-consents', { client_id: 'sandbox_partner' });
    const session = await partner.post<{ token: string }>('/v1/widget-sessions', {
      customer_id: a.id,
      scopes: ['accounts:read', 'transfers:write'],
      origin,
    });
    expect(session.status).toBe(201);
    const savings = await a.http.post('/v1/accounts', {
      type: 'savings',
      currency: 'KES',
      amount: { amount: '10.00', currency: 'KES' },
    });
    const deposit = await a.http.post('/v1/accounts', {
      type: 'fixed_deposit',
      currency: 'KES',
      product_id: 'sprod_sandbox_fd_3m',
      term_months: 3,
      amount: { amount: '1000.00', currency: 'KES' },
    });
    expect([savings.status, deposit.status]).toEqual([201, 201]);
    ids.push(
      a.id,
      b.id,
      a.walletId,
      b.walletId,
      String(t.body.id),
      String(savings.body.id),
      String(deposit.body.id),
    );
    ids.push('sprod_sandbox_savings', 'sprod_sandbox_fd_3m');
    // A loan for `a` (referred as a thin file, approved by a banker, accepted), so loan routes meet real ids.
    const banker = await login(bank, 'banker@sandbox.test');
    const app = await a.http.post<{ id: string }>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: { amount: '1000.00', currency: 'KES' },
      term_months: 1,
    });
    await banker.post(`/v1/loan-applications/${app.body.id}/override`, {
      decision: 'approve',
      reason: 'fuzz set-up',
    });
    const loan = await a.http.post<{ id: string }>(`/v1/loan-applications/${app.body.id}/accept`, {});
    ids.push(app.body.id, loan.body.id, 'lprod_sandbox_digital');
    // A phone cover for `a` with a claim on it, so insurance routes meet real ids.
    const policy = await a.http.post<{ id: string }>('/v1/policies', {
      product_id: 'iprod_sandbox_phone',
      funding_account_id: a.walletId,
      sum_insured: { amount: '5000.00', currency: 'KES' },
    });
    const claim = await a.http.post<{ id: string }>('/v1/claims', {
      policy_id: policy.body.id,
      description: 'fuzz claim',
    });
    expect([policy.status, claim.status]).toEqual([201, 201]);
    ids.push(policy.body.id, claim.body.id, 'iprod_sandbox_phone', 'iprod_sandbox_life');
    callers.push(
      new Http(bank.url),
      a.http,
      b.http,
      admin,
      await login(bank, 'banker@sandbox.test'),
      partner,
      new Http(bank.url, session.body.token),
    );
    doc = (await (await fetch(`${bank.url}/v1/openapi.json`)).json()) as typeof doc;
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when every route is fed generated and malformed requests by every caller, then no 5xx and refusals change nothing', async () => {
    // FUZZ_ROUTES (a regular expression over the path) narrows the run while working on some routes.
    const only = process.env.FUZZ_ROUTES ? new RegExp(process.env.FUZZ_ROUTES) : undefined;
    const routes = Object.entries(doc.paths)
      .filter(([path]) => !only || only.test(path))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
      );
    expect(routes.length).toBeGreaterThanOrEqual(only ? 1 : 19);
    for (const route of routes) {
      const query = route.op.parameters?.filter((p) => p.in === 'query') ?? [];
      const request = fc.record({
        caller: fc.nat({ max: callers.length - 1 }),
        id: fc.oneof(
          fc.constantFrom(...ids),
          fc.string({ maxLength: 30 }),
          fc.constantFrom('..', '%00', 'acc_' + 'x'.repeat(70)),
        ),
        body: bodyOf(route.op.requestBody?.content['application/json'].schema, ids),
        query: fc.record(
          Object.fromEntries(
            query.map((p) => [p.name, fc.oneof(arbitraryOf(p.schema, ids, p.name), fc.string())]),
          ),
          { requiredKeys: [] },
        ),
        key: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ caller, id, body, query, key }) => {
          const path = route.path.replace('{id}', encodeURIComponent(id));
          const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
          // A wrong password counts towards a lockout, and a lockout is audited on purpose.
          const takesPassword =
            route.path === '/v1/auth/token' ||
            JSON.stringify(route.op.requestBody?.content['application/json'].schema ?? {}).includes(
              '"password"',
            );
          // So does spending the day's pay-by-phone miss budget (a lookup that finds nobody).
          const withAudit = !takesPassword && !route.path.startsWith('/v1/payees');
          const before = await snapshot(bank, withAudit);
          const res = await callers[caller]!.request(route.method, `${path}${qs ? `?${qs}` : ''}`, {
            ...(route.method === 'POST'
              ? {
                  raw: body === undefined ? undefined : JSON.stringify(body),
                  headers: {
                    'content-type': 'application/json',
                    origin,
                    ...(key ? { 'idempotency-key': key } : {}),
                  },
                }
              : { headers: { origin } }),
            ...(route.method === 'POST' && !key ? { key: false as const } : {}),
          });
          expect(
            res.status,
            `${route.method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`,
          ).toBeLessThan(500);
          if (res.status >= 400)
            expect(
              await snapshot(bank, withAudit),
              `${route.method} ${path} changed state on ${res.status}`,
            ).toBe(before);
        }),
        { numRuns: 25, seed: 4_2026 },
      );
    }
    // Every route adds its runs: past the project's 120 s on a busy 2-core machine.
  }, 1_200_000);
});
