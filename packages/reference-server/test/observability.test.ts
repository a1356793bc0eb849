/**
 * Logs, metrics, traces and readiness (issue 15): JSON request logs with every secret redacted in
 * bodies, headers and query strings; Prometheus metrics; OpenTelemetry spans sent over OTLP; and
 * /readyz apart from /healthz.
 */
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, redact, redactUrl } from '../src/observability/logger.ts';
import { createTestDatabase, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';
import { serveProcess } from './support/server-process.ts';

/** A pino destination that keeps every line. */
function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('redaction', () => {
  it('when a secret sits in a body, a header or a query string, at any depth or spelling, then it is replaced', () => {
    expect(
      redact({
        username: 'amina',
        password: 'p',
        nested: { Client_Secret: 's', list: [{ otp: '123456', national_id: '12345678' }] },
        headers: { Authorization: 'Bearer x', cookie: 'c', 'x-request-id': 'r' },
      }),
    ).toEqual({
      username: 'amina',
      password: '[REDACTED]',
      nested: { Client_Secret: '[REDACTED]', list: [{ otp: '[REDACTED]', national_id: '[REDACTED]' }] },
      headers: { Authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-request-id': 'r' },
    });
    expect(redactUrl('/v1/x?access_token=abc&limit=5&Refresh-Token=def&code=1')).toBe(
      '/v1/x?access_token=[REDACTED]&limit=5&Refresh-Token=[REDACTED]&code=[REDACTED]',
    );
    expect(redactUrl('/v1/x')).toBe('/v1/x');
    expect(redactUrl('/v1/payees/resolve?phone=%2B254712345678')).toBe('/v1/payees/resolve?phone=[REDACTED]');
  });
});

describe.each(testDialects())('logs, metrics and readiness on %s', (dialect) => {
  let bank: TestBank;
  const { lines, stream } = captureLines();
  beforeAll(async () => {
    const database = await createTestDatabase(dialect);
    const { loadConfig } = await import('../src/config.ts');
    const { start } = await import('../src/server.ts');
    const config = loadConfig({
      WEKEZA_MODE: 'sandbox',
      DATABASE_URL: database.url,
      WEKEZA_JOBS_INTERVAL_SECONDS: '0',
      WEKEZA_AUDIT_SEAL_INTERVAL_MS: '0',
      WEKEZA_METRICS_TOKEN: 'metrics-secret',
    });
    const running = await start({ port: 0, config, logger: createLogger('debug', stream) });
    bank = {
      ...running,
      dialect,
      async stop() {
        await running.close();
        await database.drop();
      },
    };
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when requests carry passwords, tokens, codes and national ids in bodies, headers and query strings, then each request is one JSON line with its id, principal, route, status and duration, and none of the secrets', async () => {
    const secrets = ['Sup3r-Secret-Pass!', '654321', 'NID-77665544', 'sekrit-client', 'q-token-123'];
    const http = new Http(bank.url);
    await http.post('/v1/signup', {
      phone: '+254711220033',
      email: 'logs@example.test',
      password: secrets[0],
      full_name: 'Log Test',
      national_id: secrets[2],
    });
    await http.post('/v1/auth/token', {
      grant_type: 'password',
      username: 'logs@example.test',
      password: secrets[0],
      otp: secrets[1],
    });
    await http.post(
      '/v1/auth/token',
      { grant_type: 'client_credentials', client_id: 'sandbox_partner', client_secret: secrets[3] },
      { headers: { cookie: `session=${secrets[4]}` } },
    );
    const customer = await login(bank, 'customer@sandbox.test');
    const accounts = await customer.get(`/v1/accounts?access_token=${secrets[4]}&limit=5`);
    expect(accounts.status).toBeLessThan(500);
    const token = (customer as unknown as { token: string }).token;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const text = JSON.stringify(lines);
    for (const secret of [...secrets, token]) expect(text, secret).not.toContain(secret);
    const requests = lines.filter((l) => l.msg === 'request');
    const signup = requests.find((l) => l.route === '/v1/signup');
    expect(signup).toMatchObject({
      level: 'info',
      method: 'POST',
      status: 201,
      body: { password: '[REDACTED]', national_id: '[REDACTED]', full_name: 'Log Test' },
    });
    expect(typeof signup?.request_id).toBe('string');
    expect(typeof signup?.duration_ms).toBe('number');
    const list = requests.find((l) => l.route === '/v1/accounts' && l.method === 'GET');
    expect(list).toMatchObject({
      status: accounts.status,
      url: '/v1/accounts?access_token=[REDACTED]&limit=5',
      query: { access_token: '[REDACTED]', limit: '5' },
      headers: { authorization: '[REDACTED]' },
    });
    expect(String(list?.principal_id)).toMatch(/^cus_/);
    const refused = requests.find((l) => (l.body as { client_secret?: string })?.client_secret);
    expect(refused).toMatchObject({
      body: { client_secret: '[REDACTED]' },
      headers: { cookie: '[REDACTED]' },
    });
  });

  it('when money moves, then /metrics shows latency by route, money moved by kind, the audit queue and the close lag; and it needs its token', async () => {
    const admin = await login(bank, 'admin@sandbox.test');
    const a = await newCustomer(bank);
    const b = await newCustomer(bank);
    await fund(admin, a.walletId, '50.00');
    const sent = await a.http.post('/v1/transfers', {
      from_account_id: a.walletId,
      to_account_id: b.walletId,
      amount: { amount: '12.34', currency: 'KES' },
    });
    expect(sent.status).toBe(201);

    expect((await fetch(`${bank.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${bank.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const body = await res.text();
    expect(body).toMatch(
      /wekeza_http_request_duration_seconds_count\{method="POST",route="\/v1\/transfers",status="201"\} [1-9]/,
    );
    expect(body).not.toMatch(/route="\/v1\/accounts\/acc_/); // templates, never raw ids
    const moved = (kind: string) =>
      Number(
        new RegExp(`wekeza_money_moved_minor_total\\{kind="${kind}",currency="KES"\\} (\\d+)`).exec(
          body,
        )?.[1],
      );
    expect(moved('transfer')).toBeGreaterThanOrEqual(1234);
    expect(moved('deposit')).toBeGreaterThanOrEqual(5000);
    expect(Number(/wekeza_audit_pending (\d+)/.exec(body)?.[1])).toBeGreaterThan(0); // the sealer is off here
    expect(Number(/wekeza_audit_seal_lag_seconds ([\d.e-]+)/.exec(body)?.[1])).toBeGreaterThan(0);
    expect(body).toMatch(/wekeza_daily_close_lag_days \d+/);
    expect(body).toMatch(/# TYPE wekeza_webhook_delivery_failures_total counter/);
    expect(body).toMatch(/# TYPE wekeza_db_transaction_retries_total counter/);
    expect(body).toMatch(/wekeza_process_cpu_seconds_total/);

    await bank.services.sealer.sealPending();
    const after = await (
      await fetch(`${bank.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } })
    ).text();
    expect(after).toMatch(/wekeza_audit_pending 0\n/);
    expect(after).toMatch(/wekeza_audit_seal_lag_seconds 0\n/);
  });

  it('when the instance is shutting down, then /readyz answers 503 while /healthz still answers 200', async () => {
    const ready = await new Http(bank.url).get<{ status: string; checks: Record<string, string> }>('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', scheduler: 'off', sealer: 'off', nats: 'off' },
    });
    bank.services.lifecycle.stopping = true;
    try {
      const draining = await new Http(bank.url).get<{ status: string }>('/readyz');
      expect(draining.status).toBe(503);
      expect(draining.body.status).toBe('not_ready');
      expect(draining.headers.get('connection')).toBe('close');
      expect((await new Http(bank.url).get('/healthz')).status).toBe(200);
    } finally {
      bank.services.lifecycle.stopping = false;
    }
  });
});

describe.each(testDialects())('traces on %s', (dialect) => {
  let receiver: Server;
  const spans: { name: string; kind: number; attributes: Record<string, unknown> }[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // An OTLP/HTTP (JSON) receiver: what a collector would be.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const parsed = JSON.parse(body) as {
          resourceSpans: {
            scopeSpans: {
              spans: {
                name: string;
                kind: number;
                attributes: { key: string; value: Record<string, unknown> }[];
              }[];
            }[];
          }[];
        };
        for (const rs of parsed.resourceSpans)
          for (const ss of rs.scopeSpans)
            for (const span of ss.spans)
              spans.push({
                name: span.name,
                kind: span.kind,
                attributes: Object.fromEntries(
                  span.attributes.map((a) => [a.key, Object.values(a.value)[0]]),
                ),
              });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.drop();
  });

  it('when OTEL_EXPORTER_OTLP_ENDPOINT is set, then a request becomes an HTTP server span with database spans, sent over OTLP', async () => {
    const { port } = receiver.address() as { port: number };
    const server = await serveProcess(database.url, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_SERVICE_NAME: 'wekeza-test',
    });
    try {
      const customer = new Http(server.url);
      const token = await customer.post<{ access_token: string }>('/v1/auth/token', {
        grant_type: 'password',
        username: 'customer@sandbox.test',
        password: 'sandbox-pass-123',
      });
      expect((await customer.as(token.body.access_token).get('/v1/accounts')).status).toBe(200);
      for (let i = 0; i < 50 && !spans.some((s) => s.kind === 2 && /accounts/.test(s.name)); i++)
        await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const http = spans.find((s) => s.kind === 2 && /\/v1\/accounts/.test(s.name));
    expect(http, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(http?.attributes['http.response.status_code'] ?? http?.attributes['http.status_code']).toBe(200);
    const db = spans.filter(
      (s) =>
        s.kind === 3 &&
        (/^prisma|mysql|SELECT|INSERT/i.test(s.name) ||
          'db.system' in s.attributes ||
          'db.system.name' in s.attributes),
    );
    expect(db.length, JSON.stringify(spans.map((s) => s.name))).toBeGreaterThan(0);
    expect(spans.some((s) => /healthz|readyz|metrics/.test(s.name))).toBe(false);
  });
});
