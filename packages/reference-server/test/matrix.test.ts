/**
 * The authorisation matrix (docs/security.md): every route × every role × own/foreign resource.
 * The route list comes from the server's own OpenAPI document (built from the Api's routes), so a
 * new route without a row here fails the first test.
 */
import { randomUUID } from 'node:crypto';
import { defaultPolicy } from '@wekeza/risk';
import { WIDGET_SCOPES } from '@wekeza/sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../src/db/transaction.ts';
import { rulesOf } from '../src/modules/risk-ops/service.ts';
import { SANDBOX_PASSWORD, startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

const ROLES = ['anonymous', 'customer', 'banker', 'admin', 'partner', 'widget'] as const;
type Role = (typeof ROLES)[number];
/** ok: the role may (the answer is a success or a business refusal); the others are access refusals. */
type Outcome = 'ok' | 'unauth' | 'forbidden' | 'hidden';
type Row = Record<Role, Outcome | [own: Outcome, foreign: Outcome]>;

const PUBLIC: Row = {
  anonymous: 'ok',
  customer: 'ok',
  banker: 'ok',
  admin: 'ok',
  partner: 'ok',
  widget: 'ok',
};
const STAFF_ONLY = (staff: Role[]): Row =>
  Object.fromEntries(
    ROLES.map((r) => [r, r === 'anonymous' ? 'unauth' : staff.includes(r) ? 'ok' : 'forbidden']),
  ) as Row;
/** Customers and their widgets see their own, staff see any, partners none. */
const OWNED_READ: Row = {
  anonymous: 'unauth',
  customer: ['ok', 'hidden'],
  banker: 'ok',
  admin: 'ok',
  partner: 'hidden',
  widget: ['ok', 'hidden'],
};

/** A staff route (issue 13): not there (404) for customers, partners and widget sessions; 403 for staff of another role. */
const STAFF_HIDDEN = (staff: Role[]): Row => ({
  anonymous: 'unauth',
  customer: 'hidden',
  banker: staff.includes('banker') ? 'ok' : 'forbidden',
  admin: staff.includes('admin') ? 'ok' : 'forbidden',
  partner: 'hidden',
  widget: 'hidden',
});

/** Borrow's reads: customers see their own, staff any; partners and widget sessions (no loan scopes yet) none. */
const LOAN_READ: Row = { ...OWNED_READ, widget: 'forbidden' };
const LOAN_LIST: Row = { ...STAFF_ONLY(['customer', 'banker', 'admin', 'partner']) };

export const MATRIX: Record<string, Row> = {
  'POST /v1/signup': PUBLIC,
  'POST /v1/auth/token': PUBLIC,
  'POST /v1/auth/revoke': PUBLIC,
  'GET /.well-known/jwks.json': PUBLIC,
  'GET /.well-known/oauth-authorization-server': PUBLIC,
  'POST /v1/auth/logout': STAFF_ONLY(['customer', 'banker', 'admin']),
  'GET /v1/me': { ...STAFF_ONLY(['customer', 'banker', 'admin', 'partner', 'widget']) },
  'POST /v1/mfa/totp': STAFF_ONLY(['customer', 'banker', 'admin']),
  'POST /v1/mfa/totp/verify': STAFF_ONLY(['customer', 'banker', 'admin']),
  'POST /v1/mfa/totp/disable': STAFF_ONLY(['customer', 'banker', 'admin']),
  'POST /v1/mfa/recovery-codes': STAFF_ONLY(['customer', 'banker', 'admin']),
  'POST /v1/customers': STAFF_ONLY(['partner']),
  'GET /v1/me/partner-consents': STAFF_ONLY(['customer']),
  'POST /v1/me/partner-consents': STAFF_ONLY(['customer']),
  'DELETE /v1/me/partner-consents/{client_id}': STAFF_ONLY(['customer']),
  'GET /v1/events': STAFF_ONLY(['customer', 'widget']),
  'POST /v1/transfers/{id}/reverse': STAFF_ONLY(['admin']),
  'POST /v1/transfers/batch': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], widget: ['ok', 'hidden'] },
  'POST /v1/widget-sessions': { ...STAFF_ONLY([]), partner: ['ok', 'hidden'] },
  'GET /v1/customers/{id}': STAFF_HIDDEN(['banker', 'admin']),
  'POST /v1/customers/{id}/kyc': STAFF_HIDDEN(['banker']),
  'POST /v1/accounts': STAFF_ONLY(['customer', 'widget']),
  'GET /v1/accounts': STAFF_ONLY(['customer', 'banker', 'admin', 'partner', 'widget']),
  'GET /v1/accounts/{id}': OWNED_READ,
  'GET /v1/accounts/{id}/transactions': OWNED_READ,
  'POST /v1/transfers': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], widget: ['ok', 'hidden'] },
  'GET /v1/transfers/{id}': OWNED_READ,
  'POST /v1/sandbox/deposits': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], admin: 'ok' },
  'GET /v1/sandbox/clock': STAFF_ONLY(['customer', 'banker', 'admin', 'partner']),
  'POST /v1/sandbox/clock/advance': STAFF_ONLY(['customer', 'admin']),
  'GET /v1/audit-events': STAFF_ONLY(['admin']),
  'GET /v1/audit-events/verify': STAFF_ONLY(['admin']),
  'GET /v1/audit-events/{id}/proof': STAFF_ONLY(['admin']),
  'GET /v1/audit/checkpoints/latest': STAFF_ONLY(['admin']),
  'GET /v1/audit/checkpoints/{tree_size}': STAFF_ONLY(['admin']),
  'GET /v1/audit/consistency': STAFF_ONLY(['admin']),
  'GET /v1/audit/sealing': STAFF_ONLY(['admin']),
  'GET /v1/audit/public-keys': PUBLIC,
  'POST /v1/deposits': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], widget: ['ok', 'hidden'] },
  'POST /v1/withdrawals': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], widget: ['ok', 'hidden'] },
  'GET /v1/deposits/{id}': OWNED_READ,
  'GET /v1/withdrawals/{id}': OWNED_READ,
  // Without the deployment's token (and from outside the allow-list) a callback route is not there.
  'POST /v1/rails/mpesa/{kind}/{token}': Object.fromEntries(ROLES.map((r) => [r, 'hidden'])) as Row,
  'POST /v1/rails/rtgs/{kind}/{token}': Object.fromEntries(ROLES.map((r) => [r, 'hidden'])) as Row,
  'GET /v1/events/stream': STAFF_ONLY(['customer', 'partner', 'widget']),
  'POST /v1/webhook-endpoints': STAFF_ONLY(['customer', 'partner']),
  'GET /v1/webhook-endpoints': STAFF_ONLY(['customer', 'partner']),
  'DELETE /v1/webhook-endpoints/{id}': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], partner: 'hidden' },
  'POST /v1/webhook-endpoints/{id}/replay': {
    ...STAFF_ONLY([]),
    customer: ['ok', 'hidden'],
    partner: 'hidden',
  },
  'PUT /v1/sandbox/rails/{rail}': STAFF_ONLY(['customer', 'admin']),
  'GET /v1/savings-products': STAFF_ONLY(['customer', 'banker', 'admin', 'partner', 'widget']),
  'POST /v1/savings-products': STAFF_ONLY(['admin']),
  'PUT /v1/savings-products/{id}': STAFF_ONLY(['admin']),
  'POST /v1/deposit-quotes': STAFF_ONLY(['customer', 'banker', 'admin', 'partner', 'widget']),
  'GET /v1/accounts/{id}/close-quote': OWNED_READ,
  'POST /v1/accounts/{id}/close': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'], widget: ['ok', 'hidden'] },
  'POST /v1/accounts/{id}/withdrawals-to-wallet': {
    ...STAFF_ONLY([]),
    customer: ['ok', 'hidden'],
    widget: ['ok', 'hidden'],
  },
  'GET /v1/accounts/{id}/statement': OWNED_READ,
  'GET /v1/loan-products': LOAN_LIST,
  'POST /v1/loan-products': STAFF_ONLY(['admin']),
  'POST /v1/loan-quotes': LOAN_LIST,
  'GET /v1/credit-limit': STAFF_ONLY(['customer']),
  'POST /v1/loan-applications': STAFF_ONLY(['customer']),
  'GET /v1/loan-applications': LOAN_LIST,
  'GET /v1/loan-applications/{id}': LOAN_READ,
  'POST /v1/loan-applications/{id}/accept': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'] },
  'POST /v1/loan-applications/{id}/override': STAFF_ONLY(['banker']),
  'GET /v1/approvals': STAFF_ONLY(['banker', 'admin']),
  'GET /v1/approvals/{id}': STAFF_ONLY(['banker', 'admin']),
  // A loan override is decided by a banker who did not ask for it: an admin's role may not.
  'POST /v1/approvals/{id}/approve': STAFF_ONLY(['banker']),
  'POST /v1/approvals/{id}/reject': STAFF_ONLY(['banker']),
  'GET /v1/loans': LOAN_LIST,
  'GET /v1/loans/{id}': LOAN_READ,
  'GET /v1/loans/{id}/payoff': LOAN_READ,
  'POST /v1/loans/{id}/repayments': { ...STAFF_ONLY([]), customer: ['ok', 'hidden'] },
  'POST /v1/loans/{id}/write-off': STAFF_ONLY(['admin']),
  'GET /v1/risk/portfolio': STAFF_ONLY(['admin']),
  'GET /v1/risk/portfolio/history': STAFF_ONLY(['admin']),
  // Staff (issue 13): customers find nothing here; a banker cannot read or change models or policy.
  'GET /v1/customers': STAFF_HIDDEN(['banker', 'admin']),
  'GET /v1/approval-actions': STAFF_HIDDEN(['banker', 'admin']),
  'GET /v1/risk/models': STAFF_HIDDEN(['admin']),
  'GET /v1/risk/models/compare': STAFF_HIDDEN(['admin']),
  'POST /v1/risk/models/{version}/activate': STAFF_HIDDEN(['admin']),
  'GET /v1/risk/policy': STAFF_HIDDEN(['admin']),
  'PUT /v1/risk/policy': STAFF_HIDDEN(['admin']),
  'POST /v1/risk/policy/dry-run': STAFF_HIDDEN(['admin']),
  'GET /v1/risk/governance': STAFF_HIDDEN(['admin']),
};

const ORIGIN = 'https://shop.example';

describe.each(testDialects())('the authorisation matrix on %s', (dialect) => {
  let bank: TestBank;
  const clients = {} as Record<Role, Http>;
  let a: Awaited<ReturnType<typeof newCustomer>>;
  let b: Awaited<ReturnType<typeof newCustomer>>;
  let transferOfA: string;
  let transferOfB: string;
  let auditEventId: string;
  let checkpointSize: number;
  const railOf = { a: { dep: '', wdr: '' }, b: { dep: '', wdr: '' } };
  const hooks = { deleteA: '', replayA: '', ofB: '' };
  const loanOf = { a: { application: '', loan: '' }, b: { application: '', loan: '' } };
  let approvalId: string;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    const admin = await login(bank, 'admin@sandbox.test');
    a = await newCustomer(bank);
    b = await newCustomer(bank);
    const c = await newCustomer(bank);
    await fund(admin, a.walletId, '1000.00');
    await fund(admin, b.walletId, '1000.00');
    const send = async (from: typeof a, to: string) =>
      String(
        (
          await from.http.post('/v1/transfers', {
            from_account_id: from.walletId,
            to_account_id: to,
            amount: { amount: '1.00', currency: 'KES' },
          })
        ).body.id,
      );
    transferOfA = await send(a, b.walletId);
    transferOfB = await send(b, c.walletId);
    for (const [who, customer] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const deposit = await customer.http.post('/v1/deposits', {
        account_id: customer.walletId,
        amount: { amount: '10', currency: 'KES' },
        rail: 'mpesa',
        phone: '+254711111111',
      });
      const withdrawal = await customer.http.post('/v1/withdrawals', {
        account_id: customer.walletId,
        amount: { amount: '10', currency: 'KES' },
        rail: 'mpesa',
        destination: { phone: '+254711111111' },
      });
      railOf[who] = { dep: String(deposit.body.id), wdr: String(withdrawal.body.id) };
    }
    const hook = async (customer: typeof a) =>
      String(
        (await customer.http.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks' })).body.id,
      );
    hooks.deleteA = await hook(a);
    hooks.replayA = await hook(a);
    hooks.ofB = await hook(b);
    const partnerToken = await new Http(bank.url).post<{ access_token: string }>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_id: 'sandbox_partner',
      client_secret: 'sandbox-partner-secret',
    });
    const partner = new Http(bank.url, partnerToken.body.access_token);
    await a.http.post('/v1/me/partner-consents', { client_id: 'sandbox_partner' });
    const session = await partner.post<{ token: string }>('/v1/widget-sessions', {
      customer_id: a.id,
      scopes: [...WIDGET_SCOPES],
      origin: ORIGIN,
    });
    await bank.services.sealer.sealPending();
    auditEventId = (await bank.db.prisma.auditSeal.findFirstOrThrow()).eventId;
    checkpointSize = Number((await bank.db.prisma.auditCheckpoint.findFirstOrThrow()).treeSize);
    // A loan each: a thin file without a national ID is referred, a banker approves, the customer accepts.
    const banker = await login(bank, 'banker@sandbox.test');
    for (const [who, customer] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const app = await customer.http.post<{ id: string }>('/v1/loan-applications', {
        product_id: 'lprod_sandbox_digital',
        amount: { amount: '1000.00', currency: 'KES' },
        term_months: 1,
      });
      await banker.post(`/v1/loan-applications/${app.body.id}/override`, {
        decision: 'approve',
        reason: 'matrix set-up',
      });
      const loan = await customer.http.post<{ id: string }>(
        `/v1/loan-applications/${app.body.id}/accept`,
        {},
      );
      loanOf[who] = { application: app.body.id, loan: loan.body.id };
    }
    // A maker-checker request made by the second banker, for the first to check.
    const maker = await bank.db.prisma.user.findUniqueOrThrow({ where: { email: 'banker2@sandbox.test' } });
    approvalId = (
      await transaction(bank.db, (tx) =>
        bank.services.approvals.request(
          tx,
          { id: maker.id, role: 'banker' },
          {
            kind: 'loan_override',
            subject: { type: 'loan_application', id: loanOf.a.application },
            payload: {
              application_id: loanOf.a.application,
              decision: 'approve',
              amount_minor: '100000',
              term_months: 1,
              currency: 'KES',
              previous_status: 'accepted',
            },
            reason: 'matrix request',
          },
        ),
      )
    ).id;
    Object.assign(clients, {
      anonymous: new Http(bank.url),
      customer: a.http,
      banker,
      admin,
      partner,
      widget: new Http(bank.url, session.body.token),
    });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  /** A request for the route that is valid in every way but who sends it and whose resource it names. */
  async function requestFor(route: string, own: boolean, role: Role): Promise<{ body?: unknown }> {
    const other = own ? a : b;
    // The caller's own password, so that re-authentication passes and the role decides.
    const password = role === 'customer' ? 'correct horse battery' : SANDBOX_PASSWORD;
    switch (route) {
      case 'POST /v1/signup': {
        const n = randomUUID().replace(/\D/g, '').padEnd(8, '7').slice(0, 8);
        return {
          body: {
            phone: `+2547${n}`,
            email: `m${randomUUID()}@example.test`,
            password: 'matrix password',
            full_name: 'Matrix',
          },
        };
      }
      case 'POST /v1/auth/token':
        return {
          body: { grant_type: 'password', username: 'customer@sandbox.test', password: SANDBOX_PASSWORD },
        };
      case 'POST /v1/auth/logout': {
        const grant = await new Http(bank.url).post<{ refresh_token: string }>('/v1/auth/token', {
          grant_type: 'password',
          username: 'admin@sandbox.test',
          password: SANDBOX_PASSWORD,
        });
        return { body: { refresh_token: grant.body.refresh_token } };
      }
      case 'POST /v1/auth/revoke':
        return { body: { token: 'rt_not-a-token-of-ours-at-all' } };
      case 'POST /v1/mfa/totp':
        return { body: { password } };
      case 'POST /v1/mfa/totp/verify':
        return { body: { code: '000000' } };
      case 'POST /v1/mfa/totp/disable':
      case 'POST /v1/mfa/recovery-codes':
        return { body: { password, code: '000000' } };
      case 'POST /v1/customers': {
        const n = randomUUID().replace(/\D/g, '').padEnd(8, '5').slice(0, 8);
        return {
          body: {
            phone: `+2547${n}`,
            email: `p${randomUUID()}@example.test`,
            password: 'matrix password',
            full_name: 'P',
          },
        };
      }
      case 'POST /v1/me/partner-consents':
        return { body: { client_id: 'sandbox_partner' } };
      case 'POST /v1/sandbox/clock/advance':
        return { body: { days: 1 } };
      case 'POST /v1/transfers/batch':
        return {
          body: {
            atomic: true,
            transfers: [
              {
                from_account_id: other.walletId,
                to_account_id: (own ? b : a).walletId,
                amount: { amount: '1.00', currency: 'KES' },
              },
            ],
          },
        };
      case 'POST /v1/transfers/{id}/reverse':
        return { body: { reason: 'matrix reversal' } };
      case 'POST /v1/widget-sessions':
        return {
          body: { customer_id: own ? a.id : 'cus_NOSUCHCUSTOMER', scopes: ['accounts:read'], origin: ORIGIN },
        };
      case 'POST /v1/customers/{id}/kyc':
        return { body: { tier: 2, evidence: 'matrix evidence' } };
      case 'POST /v1/accounts':
        return { body: { type: 'savings', currency: 'KES' } };
      case 'POST /v1/transfers':
        return {
          body: {
            from_account_id: other.walletId,
            to_account_id: (own ? b : a).walletId,
            amount: { amount: '1.00', currency: 'KES' },
          },
        };
      case 'POST /v1/deposits':
        return {
          body: {
            account_id: other.walletId,
            amount: { amount: '1', currency: 'KES' },
            rail: 'mpesa',
            phone: '+254711111111',
          },
        };
      case 'POST /v1/withdrawals':
        return {
          body: {
            account_id: other.walletId,
            amount: { amount: '1', currency: 'KES' },
            rail: 'mpesa',
            destination: { phone: '+254711111111' },
          },
        };
      case 'POST /v1/webhook-endpoints':
        return { body: { url: 'http://127.0.0.1:9/matrix' } };
      case 'POST /v1/webhook-endpoints/{id}/replay':
        return { body: { since: new Date(Date.now() - 3_600_000).toISOString() } };
      case 'POST /v1/sandbox/deposits':
        return { body: { account_id: other.walletId, amount: { amount: '1.00', currency: 'KES' } } };
      case 'POST /v1/savings-products':
        return {
          body: {
            name: 'Matrix savings',
            type: 'savings',
            currency: 'KES',
            annual_rate: '0.05',
            min_opening_balance: { amount: '0.00', currency: 'KES' },
          },
        };
      case 'PUT /v1/savings-products/{id}':
        return { body: { annual_rate: '0.08', status: 'active', reason: 'matrix' } };
      case 'POST /v1/deposit-quotes':
        return {
          body: {
            product_id: 'sprod_sandbox_fd_3m',
            amount: { amount: '1000.00', currency: 'KES' },
            term_months: 3,
          },
        };
      case 'POST /v1/accounts/{id}/withdrawals-to-wallet':
        return { body: { amount: { amount: '1.00', currency: 'KES' } } };
      case 'POST /v1/loan-products':
        return {
          body: {
            name: 'Matrix product',
            currency: 'KES',
            interest_method: 'flat',
            annual_rate: '0.2',
            min_amount: { amount: '100.00', currency: 'KES' },
            max_amount: { amount: '1000.00', currency: 'KES' },
            min_term_months: 1,
            max_term_months: 2,
            processing_fee_rate: '0.01',
            penalty_rate: '0.1',
            grace_days: 1,
            write_off_days: 90,
          },
        };
      case 'POST /v1/loan-quotes':
      case 'POST /v1/loan-applications':
        return {
          body: {
            product_id: 'lprod_sandbox_digital',
            amount: { amount: '1000.00', currency: 'KES' },
            term_months: 1,
          },
        };
      case 'POST /v1/loan-applications/{id}/override':
        return { body: { decision: 'decline', reason: 'matrix decline' } };
      case 'POST /v1/loans/{id}/repayments':
        return { body: { amount: { amount: '1.00', currency: 'KES' }, from_account_id: a.walletId } };
      case 'POST /v1/loans/{id}/write-off':
        return { body: { reason: 'matrix write-off' } };
      case 'POST /v1/approvals/{id}/approve':
      case 'POST /v1/approvals/{id}/reject':
        return { body: { reason: 'matrix check' } };
      case 'PUT /v1/risk/policy':
        return { body: { rules: rulesOf(defaultPolicy), reason: 'matrix policy' } };
      case 'POST /v1/risk/policy/dry-run':
        return { body: { rules: rulesOf(defaultPolicy), last_n: 10 } };
      case 'POST /v1/risk/models/{version}/activate':
        return { body: { reason: 'matrix activation' } };
      default:
        return {};
    }
  }

  /** Logging out revokes the token it is sent with: each logout gets a fresh sign-in of its own. */
  async function clientFor(route: string, role: Role): Promise<Http> {
    const users: Partial<Record<Role, string>> = {
      customer: a.email,
      banker: 'banker@sandbox.test',
      admin: 'admin@sandbox.test',
    };
    const username = users[role];
    if (route !== 'POST /v1/auth/logout' || !username) return clients[role];
    return role === 'customer' ? login(bank, username, 'correct horse battery') : login(bank, username);
  }

  function pathFor(path: string, own: boolean): string {
    return (
      path
        .replace('/v1/customers/{id}', `/v1/customers/${own ? a.id : b.id}`)
        .replace('/v1/accounts/{id}', `/v1/accounts/${own ? a.walletId : b.walletId}`)
        .replace('/v1/transfers/{id}', `/v1/transfers/${own ? transferOfA : transferOfB}`)
        .replace('/v1/deposits/{id}', `/v1/deposits/${own ? railOf.a.dep : railOf.b.dep}`)
        .replace('/v1/withdrawals/{id}', `/v1/withdrawals/${own ? railOf.a.wdr : railOf.b.wdr}`)
        .replace(
          /\/v1\/webhook-endpoints\/\{id\}(\/replay)?$/,
          (_m, replay: string | undefined) =>
            `/v1/webhook-endpoints/${own ? (replay ? hooks.replayA : hooks.deleteA) : hooks.ofB}${replay ?? ''}`,
        )
        .replace('/v1/savings-products/{id}', '/v1/savings-products/sprod_sandbox_savings')
        .replace(
          '/v1/loan-applications/{id}',
          `/v1/loan-applications/${(own ? loanOf.a : loanOf.b).application}`,
        )
        .replace('/v1/loans/{id}', `/v1/loans/${(own ? loanOf.a : loanOf.b).loan}`)
        .replace('/v1/approvals/{id}', `/v1/approvals/${approvalId}`)
        .replace('/v1/risk/models/{version}', '/v1/risk/models/behavioural-woe@1.0.0')
        .replace(
          /^\/v1\/risk\/portfolio\/history$/,
          '/v1/risk/portfolio/history?from=2020-01-01&to=2020-01-31',
        )
        // A partner nobody consented to: revoking it changes nothing, so the widget session lives on.
        .replace('{client_id}', 'no_such_partner')
        .replace('/v1/audit-events/{id}/proof', `/v1/audit-events/${auditEventId}/proof`)
        .replace('{tree_size}', String(checkpointSize))
        .replace('/v1/audit/consistency', '/v1/audit/consistency?from=0&to=0')
    );
  }

  function outcomeOf(status: number, code: unknown): Outcome {
    if (status === 401 && code === 'unauthenticated') return 'unauth';
    if (status === 403) return 'forbidden';
    // A batch refuses as a whole (422), naming a foreign account `not_found` as a 404 would.
    if (status === 404 || code === 'not_found') return 'hidden';
    return 'ok';
  }

  it('when the API lists its routes, then every one has a row in the matrix (and no row is stale)', async () => {
    const doc = (await (await fetch(`${bank.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.keys(MATRIX))(
    'when every role calls %s on its own and a foreign resource, then the matrix holds',
    async (route) => {
      const [method, path] = route.split(' ') as [string, string];
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const role of ROLES) {
        const expected = MATRIX[route]![role];
        for (const own of [true, false]) {
          const { body } = await requestFor(route, own, role);
          const headers: Record<string, string> = role === 'widget' ? { origin: ORIGIN } : {};
          const res = await (await clientFor(route, role)).request(method, pathFor(path, own), {
            body,
            headers,
          });
          expect(
            res.status,
            `${role} ${own ? 'own' : 'foreign'} ${route}: ${JSON.stringify(res.body)}`,
          ).toBeLessThan(500);
          seen.push(`${role}/${own ? 'own' : 'foreign'}: ${outcomeOf(res.status, res.body?.code)}`);
          wanted.push(
            `${role}/${own ? 'own' : 'foreign'}: ${Array.isArray(expected) ? expected[own ? 0 : 1] : expected}`,
          );
        }
      }
      expect(seen).toEqual(wanted);
    },
  );
});
