/**
 * Mock mode's rails and event stream, after the reference server's sandbox simulator: a deposit
 * (M-Pesa STK push) answers 202 `pending` and settles a moment later, asynchronously, the way the
 * payer's phone would; a withdrawal holds the money at once and settles later. The magic phones of
 * the simulator work here too: ending in `1032` the payer cancels (`cancelled_by_user`), ending in
 * `1037` nobody ever answers (the request stays pending). Each settlement appends a transaction and
 * publishes `deposit.*` / `withdrawal.*` on `GET /v1/events/stream`, served as real Server-Sent
 * Events (with `Last-Event-ID`), so the widgets' live updates run in mock mode exactly as live.
 */
import {
  formatMinor,
  MOCK_OTP,
  MOCK_STEP_UP_MINOR,
  type MockFixtures,
  type WireAccount,
} from './fixtures.ts';

interface Answer {
  status: number;
  body: unknown;
}

type Problem = (
  status: number,
  code: string,
  detail?: string,
  errors?: { path: string; message: string }[],
) => Answer;

interface Movement {
  id: string;
  direction: 'deposit' | 'withdrawal';
  status: 'pending' | 'succeeded' | 'failed';
  account_id: string;
  amount: { amount: string; currency: string };
  minor: bigint;
  rail: string;
  receipt: string | null;
  failure_reason: string | null;
  journal_entry_id: string | null;
  created_at: string;
  resolved_at: string | null;
  phone?: string;
  destination?: Record<string, string>;
}

interface StreamEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

const PHONE = /^(?:\+?254|0)(?:7|1)[0-9]{8}$/;
const BANK_CODE = /^[A-Za-z0-9]{2,11}$/;

/** The Kenyan phone in E.164 without the plus, as the server stores it (`2547…`). */
function msisdn(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '').replace(/^\+/, '');
  return digits.startsWith('0') ? `254${digits.slice(1)}` : digits;
}

export class MockRails {
  /** How long the "phone" (or the bank) takes to answer, in ms. */
  delayMs: number;
  readonly movements: Movement[] = [];
  readonly events: StreamEvent[] = [];
  readonly #listeners = new Set<(event: StreamEvent) => void>();
  #sequence = 0;

  constructor(
    private readonly fixtures: MockFixtures,
    private readonly problem: Problem,
    delayMs = 1500,
  ) {
    this.delayMs = delayMs;
  }

  /** Answers the rails and events routes, or undefined for any other path. */
  route(method: string, path: string, body: unknown): Answer | undefined {
    if (method === 'POST' && path === '/v1/deposits') return this.#deposit(body);
    if (method === 'POST' && path === '/v1/withdrawals') return this.#withdrawal(body);
    const match = /^\/v1\/(deposits|withdrawals)\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const direction = match[1] === 'deposits' ? 'deposit' : 'withdrawal';
      const id = decodeURIComponent(match[2] ?? '');
      const movement = this.movements.find((m) => m.id === id && m.direction === direction);
      return movement ? { status: 200, body: this.#wire(movement) } : this.problem(404, 'not_found');
    }
    if (method === 'GET' && path === '/v1/events') {
      return { status: 200, body: { data: [...this.events].reverse(), has_more: false, next_cursor: null } };
    }
    return undefined;
  }

  /** `GET /v1/events/stream`: everything after `lastEventId`, then each new event as it happens. */
  stream(lastEventId: string | undefined, signal: AbortSignal): Response {
    const encoder = new TextEncoder();
    let listener: ((event: StreamEvent) => void) | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const send = (event: StreamEvent) => {
          try {
            controller.enqueue(
              encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
            );
          } catch {
            // Closed meanwhile.
          }
        };
        controller.enqueue(encoder.encode('retry: 2000\n\n'));
        const from = lastEventId === undefined ? -1 : this.events.findIndex((e) => e.id === lastEventId);
        if (from >= 0) for (const event of this.events.slice(from + 1)) send(event);
        listener = send;
        this.#listeners.add(send);
        signal.addEventListener('abort', () => {
          this.#listeners.delete(send);
          try {
            controller.close();
          } catch {
            // Already closed.
          }
        });
      },
      cancel: () => {
        if (listener) this.#listeners.delete(listener);
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
    });
  }

  /** How many event streams are open right now (the widgets close theirs when they leave the page). */
  get openStreams(): number {
    return this.#listeners.size;
  }

  /** Records an event and hands it to every open stream. */
  publish(type: string, data: Record<string, unknown>): void {
    const event: StreamEvent = {
      id: `evt_mock${String(++this.#sequence).padStart(6, '0')}`,
      type,
      created_at: new Date().toISOString(),
      data: { customer_id: this.fixtures.customer.id, ...data },
    };
    this.events.push(event);
    for (const listener of [...this.#listeners]) listener(event);
  }

  /** Settles every pending movement now (as if the phones and banks answered), except `1037` phones. */
  settleAll(): void {
    for (const movement of this.movements) if (movement.status === 'pending') this.#settle(movement);
  }

  #wallet(id: unknown): WireAccount | undefined {
    return this.fixtures.accounts.find((a) => a.id === id && a.ownerId === this.fixtures.customer.id);
  }

  /** Validates `{ account_id, amount }` as M-Pesa would take it; whole shillings only. */
  #common(input: Record<string, unknown>, rail: string, errors: { path: string; message: string }[]): bigint {
    const amount = input.amount as { amount?: unknown; currency?: unknown } | undefined;
    if (typeof input.account_id !== 'string') errors.push({ path: 'account_id', message: 'is required' });
    const text = typeof amount?.amount === 'string' ? amount.amount : '';
    if (!/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/.test(text)) {
      errors.push({ path: 'amount.amount', message: 'must be a positive decimal string' });
      return 0n;
    }
    const [whole = '0', fraction = ''] = text.split('.');
    const minor = BigInt(whole + fraction.padEnd(2, '0'));
    if (amount?.currency !== 'KES') errors.push({ path: 'amount.currency', message: 'must be KES' });
    if (minor <= 0n) errors.push({ path: 'amount.amount', message: 'must be greater than zero' });
    else if (rail === 'mpesa' && minor % 100n !== 0n)
      errors.push({ path: 'amount.amount', message: 'M-Pesa moves whole shillings only' });
    else if (rail === 'mpesa' && minor > 25_000_000n)
      errors.push({ path: 'amount.amount', message: 'M-Pesa moves at most KES 250,000' });
    return minor;
  }

  #record(
    movement: Omit<
      Movement,
      'id' | 'created_at' | 'status' | 'receipt' | 'failure_reason' | 'journal_entry_id' | 'resolved_at'
    >,
  ): Movement {
    const n = ++this.#sequence;
    const prefix = movement.direction === 'deposit' ? 'dep' : 'wdr';
    const full: Movement = {
      ...movement,
      id: `${prefix}_mock${String(n).padStart(6, '0')}`,
      status: 'pending',
      receipt: null,
      failure_reason: null,
      journal_entry_id: null,
      created_at: new Date().toISOString(),
      resolved_at: null,
    };
    this.movements.push(full);
    const never = (full.phone ?? full.destination?.account_number ?? '').endsWith('1037');
    if (!never) setTimeout(() => this.#settle(full), this.delayMs);
    return full;
  }

  #deposit(body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    const errors: { path: string; message: string }[] = [];
    if (input.rail !== 'mpesa') errors.push({ path: 'rail', message: 'must be "mpesa"' });
    const minor = this.#common(input, 'mpesa', errors);
    const phone = typeof input.phone === 'string' ? input.phone.replace(/[\s-]/g, '') : '';
    if (!PHONE.test(phone)) errors.push({ path: 'phone', message: 'must be a Kenyan mobile number' });
    if (errors.length > 0) return this.problem(422, 'validation_failed', 'The request is not valid', errors);
    const account = this.#wallet(input.account_id);
    if (!account) return this.problem(404, 'not_found', 'No such account');
    const movement = this.#record({
      direction: 'deposit',
      account_id: account.id,
      amount: { amount: formatMinor(minor), currency: 'KES' },
      minor,
      rail: 'mpesa',
      phone: msisdn(phone),
    });
    return { status: 202, body: this.#wire(movement) };
  }

  #withdrawal(body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    const errors: { path: string; message: string }[] = [];
    const rail = input.rail;
    if (rail !== 'mpesa' && rail !== 'rtgs')
      errors.push({ path: 'rail', message: 'must be "mpesa" or "rtgs"' });
    const minor = this.#common(input, String(rail), errors);
    const destination = (input.destination ?? {}) as Record<string, unknown>;
    let stored: Record<string, string> = {};
    if (rail === 'mpesa') {
      const phone = typeof destination.phone === 'string' ? destination.phone.replace(/[\s-]/g, '') : '';
      if (!PHONE.test(phone))
        errors.push({ path: 'destination.phone', message: 'must be a Kenyan mobile number' });
      stored = { phone: msisdn(phone) };
    } else if (rail === 'rtgs') {
      const { bank_code: bankCode, account_number: number, account_name: name } = destination;
      if (typeof bankCode !== 'string' || !BANK_CODE.test(bankCode))
        errors.push({ path: 'destination.bank_code', message: 'must be a BIC or a clearing member id' });
      if (typeof number !== 'string' || !/^[A-Za-z0-9-]{1,34}$/.test(number))
        errors.push({
          path: 'destination.account_number',
          message: 'must be 1 to 34 letters, digits or dashes',
        });
      if (typeof name !== 'string' || name.trim() === '' || name.length > 140)
        errors.push({ path: 'destination.account_name', message: 'is required (at most 140 characters)' });
      stored = { bank_code: String(bankCode), account_number: String(number), account_name: String(name) };
    }
    if (errors.length > 0) return this.problem(422, 'validation_failed', 'The request is not valid', errors);
    const account = this.#wallet(input.account_id);
    if (!account) return this.problem(404, 'not_found', 'No such account');
    if (minor > MOCK_STEP_UP_MINOR && input.otp !== MOCK_OTP) {
      return this.problem(401, 'mfa_required', 'This withdrawal needs a one-time code');
    }
    if (account.ledgerMinor - account.holdsMinor < minor) {
      return this.problem(422, 'insufficient_funds', 'Not enough available funds');
    }
    account.holdsMinor += minor;
    const movement = this.#record({
      direction: 'withdrawal',
      account_id: account.id,
      amount: { amount: formatMinor(minor), currency: 'KES' },
      minor,
      rail: String(rail),
      destination: stored,
    });
    return { status: 202, body: this.#wire(movement) };
  }

  #settle(movement: Movement): void {
    if (movement.status !== 'pending') return;
    const account = this.fixtures.accounts.find((a) => a.id === movement.account_id);
    if (!account) return;
    const n = ++this.#sequence;
    const now = new Date().toISOString();
    movement.resolved_at = now;
    const phone = movement.phone ?? movement.destination?.phone ?? '';
    const data = {
      [`${movement.direction}_id`]: movement.id,
      account_id: movement.account_id,
      rail: movement.rail,
      amount: movement.amount,
    };
    if (phone.endsWith('1032') || movement.destination?.account_number?.endsWith('1032')) {
      movement.status = 'failed';
      movement.failure_reason = movement.rail === 'rtgs' ? 'rtgs_ac04' : 'cancelled_by_user';
      if (movement.direction === 'withdrawal') account.holdsMinor -= movement.minor;
      this.publish(`${movement.direction}.failed`, { ...data, failure_reason: movement.failure_reason });
      return;
    }
    const signed = movement.direction === 'deposit' ? movement.minor : -movement.minor;
    if (movement.direction === 'withdrawal') account.holdsMinor -= movement.minor;
    account.ledgerMinor += signed;
    movement.status = 'succeeded';
    movement.receipt = `TK${String(n).padStart(8, '0')}`.slice(0, 10);
    movement.journal_entry_id = `je_mockrail${n}`;
    const description =
      movement.direction === 'deposit'
        ? `M-Pesa deposit ${movement.receipt}`
        : `${movement.rail === 'mpesa' ? 'M-Pesa' : 'RTGS'} withdrawal ${movement.receipt}`;
    this.fixtures.transactions.unshift({
      id: `txn_mockrail${n}`,
      account_id: account.id,
      journal_entry_id: movement.journal_entry_id,
      kind: movement.direction === 'deposit' ? 'rail_deposit' : 'rail_withdrawal',
      description,
      direction: signed < 0n ? 'debit' : 'credit',
      amount: { amount: formatMinor(signed), currency: 'KES' },
      balance_after: { amount: formatMinor(account.ledgerMinor), currency: 'KES' },
      effective_date: now.slice(0, 10),
      created_at: now,
    });
    this.publish(`${movement.direction}.succeeded`, { ...data, receipt: movement.receipt });
  }

  #wire(m: Movement): Record<string, unknown> {
    const { minor: _minor, direction: _direction, ...rest } = m;
    return rest;
  }
}
