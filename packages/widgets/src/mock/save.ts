/**
 * Mock mode for Save, statements and pay by phone: savings and fixed-deposit products, opening
 * accounts funded from the wallet, deposit and close quotes, early closes, withdrawals to the
 * wallet, statements (JSON, CSV and a small PDF) and the phone-number resolver. Answers on the wire
 * as the reference server's contract says (snake_case, money as decimal strings); arithmetic in
 * bigint minor units. Interest is simple interest over the term (Actual/365 is approximated by
 * months × 30 days), enough to look and behave like the bank.
 */
import { formatMinor, type MockFixtures, type WireAccount, type WireTransaction } from './fixtures.ts';

interface Answer {
  status: number;
  body: unknown;
  /** A file answer (statement download): the raw text and its media type. */
  file?: { text: string; type: string; name: string };
}

type Problem = (
  status: number,
  code: string,
  detail?: string,
  errors?: { path: string; message: string }[],
) => Answer;

export interface MockSavingsProduct {
  id: string;
  name: string;
  type: 'savings' | 'fixed_deposit';
  /** Annual rate in basis points (800 = 8 %). */
  rateBp: bigint;
  minMinor: bigint;
  terms?: number[];
  /** Fixed deposit: share of accrued interest an early close forfeits, in basis points. */
  forfeitBp?: bigint;
}

interface DepositTerms {
  productId: string;
  principal: bigint;
  rateBp: bigint;
  termMonths: number;
  openedOn: string;
  maturityDate: string;
  atMaturity: 'pay_out' | 'roll_over';
  forfeitBp: bigint;
}

export interface SaveFixtures {
  products: MockSavingsProduct[];
  /** Phone (E.164) → the wallet it pays and the masked name. */
  payees: Record<string, { accountId: string; displayName: string }>;
  /** Saved payees (wire shape), oldest first. */
  saved: { id: string; phone: string; label: string | null; display_name: string; created_at: string }[];
  /** Fixed-deposit terms by account id. */
  deposits: Record<string, DepositTerms>;
  /** The bank date the mock lives on. */
  bankDate: string;
  /** Withholding tax in basis points (1500 = 15 %). */
  taxBp: bigint;
}

/** Another customer's phone that resolves in mock mode (to `MOCK_OTHER_KES_ID`, "Brian K."). */
export const MOCK_PAYEE_PHONE = '+254722000111';

export function defaultSaveFixtures(otherKesId: string): SaveFixtures {
  return {
    products: [
      { id: 'sprod_mock_savings', name: 'Akiba Savings', type: 'savings', rateBp: 600n, minMinor: 0n },
      {
        id: 'sprod_mock_fd',
        name: 'Fixed Deposit',
        type: 'fixed_deposit',
        rateBp: 1000n,
        minMinor: 100_000n,
        terms: [3, 6, 12],
        forfeitBp: 5000n,
      },
    ],
    payees: { [MOCK_PAYEE_PHONE]: { accountId: otherKesId, displayName: 'Brian K.' } },
    saved: [],
    deposits: {},
    bankDate: '2025-04-30',
    taxBp: 1500n,
  };
}

const pct = (bp: bigint) => {
  const whole = bp / 10_000n;
  const frac = (bp % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
  return frac === '' ? whole.toString() : `${whole}.${frac}`;
};
const kes = (minor: bigint, currency = 'KES') => ({ amount: formatMinor(minor), currency });

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
/** Simple interest P × rate × days / 365, rounded half up to the cent. */
const interestOf = (principal: bigint, rateBp: bigint, days: number) =>
  (principal * rateBp * BigInt(days) * 2n + 10_000n * 365n) / (10_000n * 365n * 2n);
const taxOf = (interest: bigint, taxBp: bigint) => (interest * taxBp + 5_000n) / 10_000n;

/** A one-page PDF with one line of text per entry (Helvetica, no compression): enough to open and read. */
export function tinyPdf(lines: string[]): string {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const text = lines.map((line, i) => `BT /F1 10 Tf 40 ${800 - i * 14} Td (${esc(line)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

export class MockSave {
  #sequence = 0;

  constructor(
    readonly fixtures: SaveFixtures,
    private readonly bank: () => MockFixtures,
    private readonly problem: Problem,
  ) {}

  /**
   * A fixed deposit opened earlier (for stories and tests of an early close): `principalMinor`
   * deposited `daysAgo` days before the bank date for `termMonths`, at the first fixed-deposit product's rate.
   */
  seedFixedDeposit(options: { principalMinor: bigint; termMonths: number; daysAgo: number }): string {
    const product = this.fixtures.products.find((p) => p.type === 'fixed_deposit');
    const openedOn = new Date(Date.parse(this.fixtures.bankDate) - options.daysAgo * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const id = `acc_01HZMOCKFDSEED${++this.#sequence}`;
    this.bank().accounts.push({
      id,
      type: 'fixed_deposit',
      currency: 'KES',
      status: 'open',
      ledgerMinor: options.principalMinor,
      holdsMinor: 0n,
      ownerId: this.#customer,
      created_at: `${openedOn}T09:00:00.000Z`,
    });
    this.fixtures.deposits[id] = {
      productId: product?.id ?? 'sprod_mock_fd',
      principal: options.principalMinor,
      rateBp: product?.rateBp ?? 1000n,
      termMonths: options.termMonths,
      openedOn,
      maturityDate: addMonths(openedOn, options.termMonths),
      atMaturity: 'pay_out',
      forfeitBp: product?.forfeitBp ?? 5000n,
    };
    return id;
  }

  get #customer(): string {
    return this.bank().customer.id;
  }

  #own(id: string): WireAccount | undefined {
    return this.bank().accounts.find((a) => a.id === id && a.ownerId === this.#customer);
  }

  #wallet(currency = 'KES'): WireAccount | undefined {
    return this.bank().accounts.find(
      (a) => a.ownerId === this.#customer && a.type === 'wallet' && a.currency === currency,
    );
  }

  /** The savings fields the server adds to an account (rate, term, maturity, accrued interest). */
  decorate(account: WireAccount, body: Record<string, unknown>): void {
    const deposit = this.fixtures.deposits[account.id];
    if (deposit) {
      const days = Math.max(0, daysBetween(deposit.openedOn, this.fixtures.bankDate));
      const interest = interestOf(
        deposit.principal,
        deposit.rateBp,
        daysBetween(deposit.openedOn, deposit.maturityDate),
      );
      Object.assign(body, {
        product_id: deposit.productId,
        interest_rate: pct(deposit.rateBp),
        opened_on: deposit.openedOn,
        accrued_interest: kes(interestOf(deposit.principal, deposit.rateBp, days)),
        accrued_through: this.fixtures.bankDate,
        principal: kes(deposit.principal),
        term_months: deposit.termMonths,
        maturity_date: deposit.maturityDate,
        at_maturity: deposit.atMaturity,
        maturity_amount: kes(deposit.principal + interest - taxOf(interest, this.fixtures.taxBp)),
      });
    } else if (account.type === 'savings') {
      const product = this.fixtures.products.find((p) => p.type === 'savings');
      Object.assign(body, {
        product_id: product?.id,
        interest_rate: product ? pct(product.rateBp) : undefined,
        opened_on: account.created_at.slice(0, 10),
        accrued_interest: kes(interestOf(account.ledgerMinor, product?.rateBp ?? 0n, 12)),
        accrued_through: this.fixtures.bankDate,
      });
    }
  }

  route(method: string, path: string, query: URLSearchParams, body: unknown): Answer | undefined {
    const problem = this.problem;
    if (method === 'GET' && path === '/v1/payees/resolve') {
      const raw = query.get('phone') ?? '';
      if (!/^(\+[1-9][0-9]{7,14}|0[17][0-9]{8}|254[17][0-9]{8})$/.test(raw))
        return problem(422, 'validation_failed', undefined, [
          { path: 'phone', message: 'must be a phone number' },
        ]);
      const phone = raw.startsWith('+') ? raw : raw.startsWith('0') ? `+254${raw.slice(1)}` : `+${raw}`;
      const payee = this.fixtures.payees[phone];
      return payee
        ? { status: 200, body: { account_id: payee.accountId, display_name: payee.displayName } }
        : problem(404, 'not_found', 'No such payee, or it is not yours to see.');
    }
    if (method === 'GET' && path === '/v1/payees') {
      return { status: 200, body: { data: this.fixtures.saved, has_more: false, next_cursor: null } };
    }
    if (method === 'POST' && path === '/v1/payees') {
      const input = (body ?? {}) as Record<string, unknown>;
      const raw = typeof input.phone === 'string' ? input.phone : '';
      if (!/^(\+[1-9][0-9]{7,14}|0[17][0-9]{8}|254[17][0-9]{8})$/.test(raw))
        return problem(422, 'validation_failed', undefined, [
          { path: 'phone', message: 'must be a phone number' },
        ]);
      const phone = raw.startsWith('+') ? raw : raw.startsWith('0') ? `+254${raw.slice(1)}` : `+${raw}`;
      const payee = this.fixtures.payees[phone];
      if (!payee) return problem(404, 'not_found', 'No such payee, or it is not yours to see.');
      if (this.fixtures.saved.some((p) => p.phone === phone)) return problem(409, 'conflict');
      const row = {
        id: `pye_mock${++this.#sequence}`,
        phone,
        label: typeof input.label === 'string' ? input.label : null,
        display_name: payee.displayName,
        created_at: new Date().toISOString(),
      };
      this.fixtures.saved.push(row);
      return { status: 201, body: row };
    }
    const saved = /^\/v1\/payees\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && saved && saved[1] !== 'resolve') {
      const at = this.fixtures.saved.findIndex((p) => p.id === decodeURIComponent(saved[1] ?? ''));
      if (at < 0) return problem(404, 'not_found');
      const [row] = this.fixtures.saved.splice(at, 1);
      return { status: 200, body: row };
    }
    if (method === 'GET' && path === '/v1/savings-products') {
      return {
        status: 200,
        body: {
          data: this.fixtures.products.map((p) => this.#product(p)),
          has_more: false,
          next_cursor: null,
        },
      };
    }
    if (method === 'POST' && path === '/v1/deposit-quotes') {
      const input = (body ?? {}) as Record<string, unknown>;
      const product = this.fixtures.products.find(
        (p) => p.id === input.product_id && p.type === 'fixed_deposit',
      );
      const amount = this.#amount(input.amount);
      if (amount === undefined)
        return problem(422, 'validation_failed', undefined, [
          { path: 'amount', message: 'must be positive' },
        ]);
      if (!product) return problem(404, 'not_found');
      if (!product.terms?.includes(Number(input.term_months)))
        return problem(422, 'validation_failed', undefined, [
          { path: 'term_months', message: 'is not offered' },
        ]);
      return { status: 200, body: this.#quote(product, amount, Number(input.term_months)) };
    }
    if (method === 'POST' && path === '/v1/accounts') return this.#open(body);
    let match = /^\/v1\/accounts\/([^/]+)\/close-quote$/.exec(path);
    if (method === 'GET' && match) {
      const account = this.#own(decodeURIComponent(match[1] ?? ''));
      if (account?.status !== 'open') return problem(404, 'not_found');
      return { status: 200, body: this.#closeQuote(account) };
    }
    match = /^\/v1\/accounts\/([^/]+)\/close$/.exec(path);
    if (method === 'POST' && match) {
      const account = this.#own(decodeURIComponent(match[1] ?? ''));
      const wallet = this.#wallet();
      if (account?.status !== 'open' || !wallet) return problem(404, 'not_found');
      const quote = this.#closeQuote(account);
      const total = this.#minor(quote.total.amount);
      account.ledgerMinor = 0n;
      account.status = 'closed';
      wallet.ledgerMinor += total;
      this.#record(wallet, total, 'Fixed deposit closed');
      return { status: 200, body: { ...quote, journal_entry_ids: [`je_mockclose${++this.#sequence}`] } };
    }
    match = /^\/v1\/accounts\/([^/]+)\/withdrawals-to-wallet$/.exec(path);
    if (method === 'POST' && match) {
      const account = this.#own(decodeURIComponent(match[1] ?? ''));
      const wallet = this.#wallet();
      const amount = this.#amount((body as Record<string, unknown> | undefined)?.amount);
      if (amount === undefined)
        return problem(422, 'validation_failed', undefined, [
          { path: 'amount', message: 'must be positive' },
        ]);
      if (!account || !wallet || account.type !== 'savings') return problem(404, 'not_found');
      if (account.ledgerMinor - account.holdsMinor < amount) return problem(422, 'insufficient_funds');
      account.ledgerMinor -= amount;
      wallet.ledgerMinor += amount;
      const entry = this.#record(account, -amount, 'To wallet');
      this.#record(wallet, amount, 'From savings');
      return {
        status: 201,
        body: {
          id: entry.journal_entry_id,
          status: 'completed',
          from_account_id: account.id,
          to_account_id: wallet.id,
          amount: kes(amount),
          journal_entry_id: entry.journal_entry_id,
          effective_date: this.fixtures.bankDate,
          created_at: entry.created_at,
        },
      };
    }
    match = /^\/v1\/accounts\/([^/]+)\/statement$/.exec(path);
    if (method === 'GET' && match) return this.#statement(decodeURIComponent(match[1] ?? ''), query);
    return undefined;
  }

  #product(p: MockSavingsProduct) {
    return {
      id: p.id,
      name: p.name,
      type: p.type,
      currency: 'KES',
      annual_rate: pct(p.rateBp),
      min_opening_balance: kes(p.minMinor),
      ...(p.terms ? { term_months: p.terms } : {}),
      ...(p.forfeitBp !== undefined ? { early_close_forfeit_share: pct(p.forfeitBp) } : {}),
      status: 'active',
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-01T00:00:00.000Z',
    };
  }

  #quote(product: MockSavingsProduct, amount: bigint, termMonths: number) {
    const opening = this.fixtures.bankDate;
    const maturity = addMonths(opening, termMonths);
    const interest = interestOf(amount, product.rateBp, daysBetween(opening, maturity));
    const tax = taxOf(interest, this.fixtures.taxBp);
    return {
      product_id: product.id,
      principal: kes(amount),
      annual_rate: pct(product.rateBp),
      opening_date: opening,
      term_months: termMonths,
      maturity_date: maturity,
      interest: kes(interest),
      tax: kes(tax),
      maturity_amount: kes(amount + interest - tax),
    };
  }

  #closeQuote(account: WireAccount) {
    const deposit = this.fixtures.deposits[account.id];
    const principal = account.ledgerMinor;
    const accrued = deposit
      ? interestOf(
          deposit.principal,
          deposit.rateBp,
          Math.max(0, daysBetween(deposit.openedOn, this.fixtures.bankDate)),
        )
      : 0n;
    const forfeited = deposit ? (accrued * deposit.forfeitBp + 5_000n) / 10_000n : 0n;
    const kept = accrued - forfeited;
    const tax = taxOf(kept, this.fixtures.taxBp);
    return {
      account_id: account.id,
      close_date: this.fixtures.bankDate,
      principal: kes(principal),
      interest_accrued: kes(accrued),
      interest_forfeited: kes(forfeited),
      interest_kept: kes(kept),
      tax: kes(tax),
      total: kes(principal + kept - tax),
      paid_to_account_id: this.#wallet()?.id ?? '',
    };
  }

  #open(body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    const problem = this.problem;
    if (input.type !== 'savings' && input.type !== 'fixed_deposit')
      return problem(422, 'validation_failed', undefined, [
        { path: 'type', message: 'must be savings or fixed_deposit' },
      ]);
    const product = this.fixtures.products.find(
      (p) => p.type === input.type && (input.product_id === undefined || p.id === input.product_id),
    );
    if (!product) return problem(404, 'not_found');
    const amount = input.amount === undefined ? 0n : this.#amount(input.amount);
    if (amount === undefined)
      return problem(422, 'validation_failed', undefined, [{ path: 'amount', message: 'must be positive' }]);
    if (amount < product.minMinor)
      return problem(422, 'validation_failed', undefined, [
        { path: 'amount', message: `must be at least ${formatMinor(product.minMinor)}` },
      ]);
    const wallet = this.#wallet();
    if (amount > 0n && (!wallet || wallet.ledgerMinor - wallet.holdsMinor < amount))
      return problem(422, 'insufficient_funds');
    const term = Number(input.term_months);
    if (product.type === 'fixed_deposit' && !product.terms?.includes(term))
      return problem(422, 'validation_failed', undefined, [
        { path: 'term_months', message: 'is not offered' },
      ]);
    const n = ++this.#sequence;
    const account: WireAccount = {
      id: `acc_01HZMOCK${product.type === 'savings' ? 'SAV' : 'FD'}${n}`,
      type: product.type,
      currency: 'KES',
      status: 'open',
      ledgerMinor: 0n,
      holdsMinor: 0n,
      ownerId: this.#customer,
      created_at: `${this.fixtures.bankDate}T09:00:00.000Z`,
    };
    this.bank().accounts.push(account);
    if (product.type === 'fixed_deposit') {
      this.fixtures.deposits[account.id] = {
        productId: product.id,
        principal: amount,
        rateBp: product.rateBp,
        termMonths: term,
        openedOn: this.fixtures.bankDate,
        maturityDate: addMonths(this.fixtures.bankDate, term),
        atMaturity: input.at_maturity === 'roll_over' ? 'roll_over' : 'pay_out',
        forfeitBp: product.forfeitBp ?? 0n,
      };
    }
    if (amount > 0n && wallet) {
      wallet.ledgerMinor -= amount;
      account.ledgerMinor += amount;
      this.#record(wallet, -amount, product.type === 'savings' ? 'To savings' : 'To fixed deposit');
      this.#record(account, amount, 'Opening deposit');
    }
    const rendered: Record<string, unknown> = {
      id: account.id,
      type: account.type,
      currency: account.currency,
      status: account.status,
      balance: { ledger: kes(account.ledgerMinor), available: kes(account.ledgerMinor) },
      created_at: account.created_at,
    };
    this.decorate(account, rendered);
    return { status: 201, body: rendered };
  }

  #statement(id: string, query: URLSearchParams): Answer {
    const account = this.#own(id);
    if (!account) return this.problem(404, 'not_found');
    const to = query.get('to') ?? this.fixtures.bankDate;
    const from = query.get('from') ?? `${to.slice(0, 8)}01`;
    const format = query.get('format') ?? 'json';
    if (from > to)
      return this.problem(422, 'validation_failed', undefined, [
        { path: 'from', message: 'must not be after to' },
      ]);
    const all = this.bank()
      .transactions.filter((t) => t.account_id === id)
      .slice()
      .sort((a, b) => (a.effective_date + a.created_at).localeCompare(b.effective_date + b.created_at));
    const before = all.filter((t) => t.effective_date < from);
    const within = all.filter((t) => t.effective_date >= from && t.effective_date <= to);
    const minorOf = (t: WireTransaction) => this.#minor(t.amount.amount);
    const opening = before.reduce((sum, t) => sum + minorOf(t), 0n);
    let running = opening;
    const lines = within.map((t) => {
      running += minorOf(t);
      return {
        date: t.effective_date,
        description: t.description,
        amount: t.amount,
        balance: kes(running),
        entry_id: t.journal_entry_id,
      };
    });
    const statement = {
      account_id: id,
      currency: account.currency,
      from,
      to,
      opening_balance: kes(opening),
      closing_balance: kes(running),
      lines,
    };
    const name = `statement-${id}-${from}-${to}`;
    if (format === 'csv') {
      const rows = [
        'date,description,amount,balance,entry_id',
        ...lines.map(
          (l) =>
            `${l.date},"${l.description.replace(/"/g, '""')}",${l.amount.amount},${l.balance.amount},${l.entry_id}`,
        ),
      ];
      return {
        status: 200,
        body: undefined,
        file: { text: `${rows.join('\r\n')}\r\n`, type: 'text/csv', name: `${name}.csv` },
      };
    }
    if (format === 'pdf') {
      const text = [
        `Statement ${id}`,
        `${from} to ${to}`,
        `Opening balance ${statement.opening_balance.amount} KES`,
        ...lines.map((l) => `${l.date}  ${l.description}  ${l.amount.amount}  ${l.balance.amount}`),
        `Closing balance ${statement.closing_balance.amount} KES`,
      ];
      return {
        status: 200,
        body: undefined,
        file: { text: tinyPdf(text), type: 'application/pdf', name: `${name}.pdf` },
      };
    }
    return { status: 200, body: statement };
  }

  #record(account: WireAccount, signed: bigint, description: string): WireTransaction {
    const n = ++this.#sequence;
    const date = this.fixtures.bankDate;
    const line: WireTransaction = {
      id: `txn_mocksave${n}`,
      account_id: account.id,
      journal_entry_id: `je_mocksave${n}`,
      kind: 'transfer',
      description,
      direction: signed < 0n ? 'debit' : 'credit',
      amount: kes(signed, account.currency),
      balance_after: kes(account.ledgerMinor, account.currency),
      effective_date: date,
      created_at: new Date().toISOString(),
    };
    this.bank().transactions.unshift(line);
    return line;
  }

  #minor(amount: string): bigint {
    const negative = amount.startsWith('-');
    const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
    const minor = BigInt(whole + fraction.padEnd(2, '0').slice(0, 2));
    return negative ? -minor : minor;
  }

  #amount(value: unknown): bigint | undefined {
    const money = value as { amount?: unknown } | undefined;
    if (typeof money?.amount !== 'string' || !/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/.test(money.amount))
      return undefined;
    const minor = this.#minor(money.amount);
    return minor > 0n ? minor : undefined;
  }
}
