/**
 * Mock mode for Borrow: an in-memory credit limit, loan products, quotes, applications, loans,
 * payoff and repayments that answer on the wire exactly as the reference server's contract says
 * (snake_case, money as decimal strings), so the borrow widgets work in Storybook and tests with no
 * server. Arithmetic is bigint minor units; interest is simple monthly interest on the declining
 * balance with equal principal (or flat on the principal), enough to look and behave like a loan.
 */
import { formatMinor, type WireAccount, type WireMoney } from './fixtures.ts';

export interface WireCreditReason {
  code: string;
  text: string;
}

export interface MockLoanProduct {
  id: string;
  name: string;
  interest_method: 'declining_balance' | 'flat';
  /** Annual rate in basis points (1800 = 18 %). */
  rateBp: bigint;
  /** Processing fee in basis points of the principal. */
  feeBp: bigint;
  minMinor: bigint;
  maxMinor: bigint;
  minTerm: number;
  maxTerm: number;
}

export interface MockInstalment {
  n: number;
  due_date: string;
  principal: bigint;
  interest: bigint;
  penalties: bigint;
  paidPrincipal: bigint;
  paidInterest: bigint;
  paidPenalties: bigint;
  settled_on: string | null;
}

export type MockLoanStatus =
  | 'pending_disbursement'
  | 'disbursed'
  | 'active'
  | 'in_arrears'
  | 'closed'
  | 'written_off';

export interface MockLoan {
  id: string;
  loan_number: string;
  status: MockLoanStatus;
  productId: string;
  applicationId: string | null;
  principal: bigint;
  termMonths: number;
  rateBp: bigint;
  fee: bigint;
  disbursement_date: string;
  schedule: MockInstalment[];
  history: { status: MockLoanStatus; bank_date: string }[];
  closed_on: string | null;
  writtenOff: bigint;
}

export interface MockApplication {
  id: string;
  status: 'approved' | 'declined' | 'referred' | 'accepted';
  decision: 'approved' | 'declined' | 'referred';
  productId: string;
  amount: bigint;
  termMonths: number;
  purpose: string | null;
  reasons: WireCreditReason[];
  loanId: string | null;
  created_at: string;
}

export interface BorrowFixtures {
  /** The bank date the mock lives on. */
  bankDate: string;
  creditLimit: {
    decision: 'approved' | 'declined' | 'referred';
    score: number;
    grade: string;
    limitMinor: bigint;
    tierCapMinor: bigint;
    thinFile: boolean;
    reasons: WireCreditReason[];
  };
  products: MockLoanProduct[];
  loans: MockLoan[];
  applications: MockApplication[];
  /** Forces the decision of every new application (default: by the limit). */
  forceDecision?: 'approved' | 'declined' | 'referred';
}

export const MOCK_PRODUCT_ADVANCE = 'lprod_01HZSALARYADVANCE';
export const MOCK_PRODUCT_BIASHARA = 'lprod_01HZBIASHARA';
export const MOCK_LOAN_ACTIVE = 'loan_01HZAMINAACTIVE';
export const MOCK_BANK_DATE = '2025-03-15';

const CURRENCY = 'KES';
const money = (minor: bigint): WireMoney => ({ amount: formatMinor(minor), currency: CURRENCY });
const ZERO = 0n;

/** `date` plus `months` calendar months (day clamped to the month's end). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map((part) => Number.parseInt(part, 10)) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Equal principal, monthly interest on the balance (declining) or on the principal (flat). */
export function mockSchedule(
  product: MockLoanProduct,
  principal: bigint,
  termMonths: number,
  from: string,
): MockInstalment[] {
  const term = BigInt(termMonths);
  const base = principal / term;
  let balance = principal;
  const schedule: MockInstalment[] = [];
  for (let n = 1; n <= termMonths; n++) {
    const part = n === termMonths ? balance : base;
    const on = product.interest_method === 'flat' ? principal : balance;
    const interest = (on * product.rateBp + 60_000n) / 120_000n; // rate / 12, rounded half up
    schedule.push({
      n,
      due_date: addMonths(from, n),
      principal: part,
      interest,
      penalties: ZERO,
      paidPrincipal: ZERO,
      paidInterest: ZERO,
      paidPenalties: ZERO,
      settled_on: null,
    });
    balance -= part;
  }
  return schedule;
}

/** A monthly IRR found by bisection on the cash flows, times 12, as a 4-decimal string. */
function aprOf(net: bigint, schedule: MockInstalment[]): string {
  const flows = schedule.map((i) => Number(i.principal + i.interest));
  const npv = (rate: number) =>
    flows.reduce((sum, flow, k) => sum + flow / (1 + rate) ** (k + 1), 0) - Number(net);
  let lo = 0;
  let hi = 1;
  for (let step = 0; step < 80; step++) {
    const mid = (lo + hi) / 2;
    if (npv(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo * 12).toFixed(4);
}

function quoteBody(product: MockLoanProduct, amount: bigint, termMonths: number, bankDate: string) {
  const schedule = mockSchedule(product, amount, termMonths, bankDate);
  const fee = (amount * product.feeBp) / 10_000n;
  const totalInterest = schedule.reduce((sum, i) => sum + i.interest, ZERO);
  const totalRepayable = amount + totalInterest;
  return {
    amount: money(amount),
    term_months: termMonths,
    disbursement_date: bankDate,
    fee: money(fee),
    net_disbursed: money(amount - fee),
    total_interest: money(totalInterest),
    total_repayable: money(totalRepayable),
    total_cost_of_credit: money(totalRepayable - (amount - fee)),
    apr: aprOf(amount - fee, schedule),
    schedule: schedule.map((i) => ({
      n: i.n,
      due_date: i.due_date,
      principal: money(i.principal),
      interest: money(i.interest),
      fees: money(ZERO),
      total: money(i.principal + i.interest),
    })),
  };
}

/** A loan as the mock books it, `paidInstalments` already repaid and `overdue` more unpaid past due. */
export function mockLoan(options: {
  id: string;
  loanNumber: string;
  status: MockLoanStatus;
  product: MockLoanProduct;
  principalMinor: bigint;
  termMonths: number;
  disbursed: string;
  paidInstalments?: number;
  penaltiesMinor?: bigint;
  closedOn?: string | null;
}): MockLoan {
  const schedule = mockSchedule(
    options.product,
    options.principalMinor,
    options.termMonths,
    options.disbursed,
  );
  for (const instalment of schedule.slice(0, options.paidInstalments ?? 0)) {
    instalment.paidPrincipal = instalment.principal;
    instalment.paidInterest = instalment.interest;
    instalment.settled_on = instalment.due_date;
  }
  const firstUnpaid = schedule.find((i) => i.settled_on === null);
  if (firstUnpaid && options.penaltiesMinor) firstUnpaid.penalties = options.penaltiesMinor;
  const history: MockLoan['history'] = [
    { status: 'pending_disbursement', bank_date: options.disbursed },
    { status: 'disbursed', bank_date: options.disbursed },
  ];
  if (options.status !== 'pending_disbursement' && options.status !== 'disbursed')
    history.push({ status: 'active', bank_date: options.disbursed });
  if (options.status === 'in_arrears' || options.status === 'written_off')
    history.push({ status: 'in_arrears', bank_date: firstUnpaid?.due_date ?? options.disbursed });
  if (options.status === 'closed' || options.status === 'written_off')
    history.push({ status: options.status, bank_date: options.closedOn ?? options.disbursed });
  return {
    id: options.id,
    loan_number: options.loanNumber,
    status: options.status,
    productId: options.product.id,
    applicationId: null,
    principal: options.principalMinor,
    termMonths: options.termMonths,
    rateBp: options.product.rateBp,
    fee: (options.principalMinor * options.product.feeBp) / 10_000n,
    disbursement_date: options.disbursed,
    schedule,
    history,
    closed_on: options.closedOn ?? null,
    writtenOff: ZERO,
  };
}

export const MOCK_PRODUCTS: readonly MockLoanProduct[] = [
  {
    id: MOCK_PRODUCT_ADVANCE,
    name: 'Salary advance',
    interest_method: 'flat',
    rateBp: 1800n,
    feeBp: 200n,
    minMinor: 100_000n,
    maxMinor: 5_000_000n,
    minTerm: 1,
    maxTerm: 3,
  },
  {
    id: MOCK_PRODUCT_BIASHARA,
    name: 'Biashara loan',
    interest_method: 'declining_balance',
    rateBp: 2400n,
    feeBp: 300n,
    minMinor: 500_000n,
    maxMinor: 20_000_000n,
    minTerm: 3,
    maxTerm: 12,
  },
];

/** The default Borrow fixtures: a KES 30,000 limit, two products and one loan being repaid. */
export function defaultBorrowFixtures(): BorrowFixtures {
  const products = MOCK_PRODUCTS.map((p) => ({ ...p }));
  return {
    bankDate: MOCK_BANK_DATE,
    creditLimit: {
      decision: 'approved',
      score: 642,
      grade: 'B',
      limitMinor: 3_000_000n,
      tierCapMinor: 10_000_000n,
      thinFile: false,
      reasons: [
        { code: 'INFLOW_VOLATILITY_HIGH', text: 'inflowVolatility is high (0.62; best-scoring 0.1)' },
        { code: 'PRIOR_LOAN_COUNT_LOW', text: 'priorLoanCount is low (1; best-scoring 4)' },
        { code: 'TRANSACTIONS_PER_MONTH_LOW', text: 'transactionsPerMonth is low (9; best-scoring 40)' },
      ],
    },
    products,
    loans: [
      mockLoan({
        id: MOCK_LOAN_ACTIVE,
        loanNumber: '48213370925',
        status: 'active',
        product: products[1] as MockLoanProduct,
        principalMinor: 1_200_000n,
        termMonths: 6,
        disbursed: '2024-12-20',
        paidInstalments: 2,
      }),
    ],
    applications: [],
  };
}

type Answer = { status: number; body: unknown };
type Problem = (
  status: number,
  code: string,
  detail?: string,
  errors?: { path: string; message: string }[],
) => Answer;

const isAmount = (value: unknown): value is { amount: string; currency: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as WireMoney).amount === 'string' &&
  /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/.test((value as WireMoney).amount) &&
  (value as WireMoney).currency === CURRENCY;

const minorOf = (value: WireMoney): bigint => {
  const [whole = '0', fraction = ''] = value.amount.split('.');
  return BigInt(whole + fraction.padEnd(2, '0'));
};

/** Answers the Borrow routes of mock mode; `MockBank` hands it every request it does not know. */
export class MockBorrow {
  #sequence = 0;

  constructor(
    readonly fixtures: BorrowFixtures,
    private readonly accounts: () => WireAccount[],
    private readonly customerId: string,
    private readonly problem: Problem,
  ) {}

  /** Answers a Borrow request, or undefined when the path is not a Borrow route. */
  route(method: string, path: string, query: URLSearchParams, body: unknown): Answer | undefined {
    const f = this.fixtures;
    if (method === 'GET' && path === '/v1/credit-limit') return { status: 200, body: this.#creditLimit() };
    if (method === 'GET' && path === '/v1/loan-products') {
      return {
        status: 200,
        body: { data: f.products.map((p) => this.#product(p)), has_more: false, next_cursor: null },
      };
    }
    if (method === 'POST' && path === '/v1/loan-quotes') {
      const input = this.#terms(body);
      if ('status' in input) return input;
      return {
        status: 200,
        body: {
          product_id: input.product.id,
          ...quoteBody(input.product, input.amount, input.term, f.bankDate),
        },
      };
    }
    if (method === 'POST' && path === '/v1/loan-applications') return this.#apply(body);
    if (method === 'GET' && path === '/v1/loan-applications') {
      return {
        status: 200,
        body: { data: f.applications.map((a) => this.#application(a)), has_more: false, next_cursor: null },
      };
    }
    let match = /^\/v1\/loan-applications\/([^/]+)(\/accept)?$/.exec(path);
    if (match) {
      const application = f.applications.find((a) => a.id === decodeURIComponent(match?.[1] ?? ''));
      if (!application) return this.problem(404, 'not_found');
      if (method === 'GET' && !match[2]) return { status: 200, body: this.#application(application) };
      if (method === 'POST' && match[2]) return this.#accept(application);
    }
    if (method === 'GET' && path === '/v1/loans') {
      const data = [...f.loans].reverse().map((l) => this.#loan(l));
      const limit = Number.parseInt(query.get('limit') ?? '20', 10);
      return {
        status: 200,
        body: { data: data.slice(0, limit), has_more: data.length > limit, next_cursor: null },
      };
    }
    match = /^\/v1\/loans\/([^/]+)(\/payoff|\/repayments)?$/.exec(path);
    if (match) {
      const loan = f.loans.find((l) => l.id === decodeURIComponent(match?.[1] ?? ''));
      if (!loan) return this.problem(404, 'not_found');
      if (method === 'GET' && !match[2]) return { status: 200, body: this.#loan(loan) };
      if (method === 'GET' && match[2] === '/payoff') return { status: 200, body: this.#payoffBody(loan) };
      if (method === 'POST' && match[2] === '/repayments') return this.#repay(loan, body);
    }
    return undefined;
  }

  #creditLimit() {
    const c = this.fixtures.creditLimit;
    const exposure = this.fixtures.loans
      .filter((l) => l.status !== 'closed' && l.status !== 'written_off')
      .reduce((sum, l) => sum + this.#owed(l).principal, ZERO);
    return {
      decision_id: 'dec_01HZMOCKLIMIT',
      decision: c.decision,
      score: c.score,
      pd: c.score >= 620 ? '0.027000' : c.score >= 460 ? '0.150000' : '0.300000',
      grade: c.grade,
      limit: money(c.decision === 'declined' ? ZERO : c.limitMinor),
      exposure: money(exposure),
      tier_cap: money(c.tierCapMinor),
      thin_file: c.thinFile,
      model_version: 'behavioural@1.0.0',
      policy_version: 'default@1',
      reasons: c.reasons,
      bank_date: this.fixtures.bankDate,
    };
  }

  #product(p: MockLoanProduct) {
    return {
      id: p.id,
      name: p.name,
      currency: CURRENCY,
      interest_method: p.interest_method,
      amortization: p.interest_method === 'flat' ? null : 'equal_principal',
      annual_rate: (Number(p.rateBp) / 10_000).toString(),
      processing_fee_rate: (Number(p.feeBp) / 10_000).toString(),
      penalty_rate: '0.05',
      min_amount: money(p.minMinor),
      max_amount: money(p.maxMinor),
      min_term_months: p.minTerm,
      max_term_months: p.maxTerm,
      grace_days: 3,
      write_off_days: 180,
      status: 'active',
      created_at: '2024-10-01T08:00:00.000Z',
    };
  }

  #terms(body: unknown): { product: MockLoanProduct; amount: bigint; term: number } | Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    const errors: { path: string; message: string }[] = [];
    const product = this.fixtures.products.find((p) => p.id === input.product_id);
    if (!product) errors.push({ path: 'product_id', message: 'must be a loan product' });
    if (!isAmount(input.amount)) errors.push({ path: 'amount', message: 'must be a KES amount' });
    const term = input.term_months;
    if (typeof term !== 'number' || !Number.isInteger(term))
      errors.push({ path: 'term_months', message: 'must be whole months' });
    if (errors.length > 0 || !product)
      return this.problem(422, 'validation_failed', 'The request is not valid', errors);
    const amount = minorOf(input.amount as WireMoney);
    if (amount < product.minMinor || amount > product.maxMinor)
      errors.push({
        path: 'amount',
        message: `must be from ${formatMinor(product.minMinor)} to ${formatMinor(product.maxMinor)}`,
      });
    if ((term as number) < product.minTerm || (term as number) > product.maxTerm)
      errors.push({ path: 'term_months', message: `must be from ${product.minTerm} to ${product.maxTerm}` });
    if (errors.length > 0) return this.problem(422, 'validation_failed', 'The request is not valid', errors);
    return { product, amount, term: term as number };
  }

  #apply(body: unknown): Answer {
    const input = this.#terms(body);
    if ('status' in input) return input;
    const f = this.fixtures;
    const limit = f.creditLimit.decision === 'declined' ? ZERO : f.creditLimit.limitMinor;
    const decision =
      f.forceDecision ??
      (f.creditLimit.decision !== 'approved'
        ? f.creditLimit.decision
        : input.amount <= limit
          ? 'approved'
          : input.amount <= limit * 2n
            ? 'referred'
            : 'declined');
    const reasons = [...f.creditLimit.reasons];
    if (input.amount > limit && decision !== 'approved')
      reasons.unshift({ code: 'LIMIT_EXCEEDED', text: 'The amount is above your limit.' });
    const purpose = (body as { purpose?: unknown }).purpose;
    const application: MockApplication = {
      id: `app_mock${++this.#sequence}`,
      status: decision,
      decision,
      productId: input.product.id,
      amount: input.amount,
      termMonths: input.term,
      purpose: typeof purpose === 'string' ? purpose : null,
      reasons: decision === 'approved' ? [] : reasons,
      loanId: null,
      created_at: new Date().toISOString(),
    };
    f.applications.unshift(application);
    return { status: 201, body: this.#application(application) };
  }

  #application(a: MockApplication) {
    const product = this.fixtures.products.find((p) => p.id === a.productId) as MockLoanProduct;
    const c = this.fixtures.creditLimit;
    const offer =
      a.decision === 'approved'
        ? {
            ...quoteBody(product, a.amount, a.termMonths, this.fixtures.bankDate),
            expires_on: addDays(this.fixtures.bankDate, 7),
          }
        : null;
    return {
      id: a.id,
      status: a.status,
      decision: a.decision,
      customer_id: this.customerId,
      product_id: a.productId,
      amount: money(a.amount),
      term_months: a.termMonths,
      purpose: a.purpose,
      decision_id: 'dec_01HZMOCKAPP',
      score: c.score,
      pd: '0.027000',
      grade: c.grade,
      limit: money(c.limitMinor),
      model_version: 'behavioural@1.0.0',
      policy_version: 'default@1',
      reasons: a.reasons,
      offer,
      override: null,
      loan_id: a.loanId,
      created_at: a.created_at,
      updated_at: a.created_at,
    };
  }

  #wallet(): WireAccount | undefined {
    return this.accounts().find(
      (a) => a.type === 'wallet' && a.ownerId === this.customerId && a.currency === CURRENCY,
    );
  }

  #accept(a: MockApplication): Answer {
    if (a.status === 'accepted') return this.problem(409, 'conflict', 'The offer is already accepted.');
    if (a.status !== 'approved') return this.problem(409, 'conflict', `The application is ${a.status}.`);
    const wallet = this.#wallet();
    if (!wallet) return this.problem(409, 'conflict', 'You have no KES wallet to receive the loan.');
    const product = this.fixtures.products.find((p) => p.id === a.productId) as MockLoanProduct;
    const n = ++this.#sequence;
    const loan = mockLoan({
      id: `loan_mock${n}`,
      loanNumber: String(48_213_370_000 + n),
      status: 'active',
      product,
      principalMinor: a.amount,
      termMonths: a.termMonths,
      disbursed: this.fixtures.bankDate,
    });
    loan.applicationId = a.id;
    this.fixtures.loans.push(loan);
    wallet.ledgerMinor += a.amount - loan.fee;
    a.status = 'accepted';
    a.loanId = loan.id;
    return { status: 201, body: this.#loan(loan) };
  }

  /**
   * The interest instalment `i` owes today: all of it once due, the share of its period that has
   * run (less what was paid) for the running period, nothing for later ones.
   */
  #interestOwed(loan: MockLoan, i: MockInstalment): bigint {
    const today = this.fixtures.bankDate;
    if (i.due_date <= today) return i.interest - i.paidInterest;
    const start = i.n === 1 ? loan.disbursement_date : (loan.schedule[i.n - 2] as MockInstalment).due_date;
    if (start > today) return ZERO;
    const period = BigInt(Math.max(1, daysBetween(start, i.due_date)));
    const elapsed = BigInt(Math.max(0, daysBetween(start, today)));
    const accrued = (i.interest * elapsed) / period;
    return accrued > i.paidInterest ? accrued - i.paidInterest : ZERO;
  }

  /** What the loan owes now: unpaid principal, interest accrued to today and penalties. */
  #owed(loan: MockLoan) {
    if (loan.status === 'closed' || loan.status === 'written_off')
      return { principal: ZERO, interest: ZERO, penalties: ZERO };
    let principal = ZERO;
    let interest = ZERO;
    let penalties = ZERO;
    for (const i of loan.schedule) {
      principal += i.principal - i.paidPrincipal;
      interest += this.#interestOwed(loan, i);
      penalties += i.penalties - i.paidPenalties;
    }
    return { principal, interest, penalties };
  }

  /** What closes the loan today. */
  #payoff(loan: MockLoan) {
    const owed = this.#owed(loan);
    return { ...owed, total: owed.principal + owed.interest + owed.penalties };
  }

  #payoffBody(loan: MockLoan) {
    const p = this.#payoff(loan);
    return {
      loan_id: loan.id,
      date: this.fixtures.bankDate,
      principal: money(p.principal),
      interest: money(p.interest),
      fees: money(ZERO),
      penalties: money(p.penalties),
      total: money(p.total),
    };
  }

  #repay(loan: MockLoan, body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    if (!isAmount(input.amount) || minorOf(input.amount) <= ZERO)
      return this.problem(422, 'validation_failed', 'The request is not valid', [
        { path: 'amount', message: 'must be a positive KES amount' },
      ]);
    const from = this.accounts().find((a) => a.id === input.from_account_id && a.ownerId === this.customerId);
    if (!from) return this.problem(404, 'not_found', 'No such account');
    if (loan.status === 'closed' || loan.status === 'written_off')
      return this.problem(409, 'conflict', 'The loan is closed.');
    const amount = minorOf(input.amount);
    const payoff = this.#payoff(loan);
    if (amount > payoff.total)
      return this.problem(422, 'exceeds_payoff', `The payoff today is ${formatMinor(payoff.total)}`);
    if (from.ledgerMinor - from.holdsMinor < amount)
      return this.problem(422, 'insufficient_funds', 'Not enough available funds');
    from.ledgerMinor -= amount;
    const split = { principal: ZERO, interest: ZERO, penalties: ZERO };
    const today = this.fixtures.bankDate;
    if (amount === payoff.total) {
      for (const i of loan.schedule) {
        split.principal += i.principal - i.paidPrincipal;
        split.penalties += i.penalties - i.paidPenalties;
        i.paidPrincipal = i.principal;
        i.paidPenalties = i.penalties;
        i.settled_on ??= today;
      }
      split.interest = payoff.interest;
      for (const i of loan.schedule) i.paidInterest = i.interest;
      loan.status = 'closed';
      loan.closed_on = today;
      loan.history.push({ status: 'closed', bank_date: today });
    } else {
      let left = amount;
      const take = (owed: bigint) => {
        const part = left < owed ? left : owed;
        left -= part;
        return part;
      };
      for (const i of loan.schedule) {
        if (left === ZERO) break;
        const pen = take(i.penalties - i.paidPenalties);
        i.paidPenalties += pen;
        split.penalties += pen;
        const int = take(this.#interestOwed(loan, i));
        i.paidInterest += int;
        split.interest += int;
        const pri = take(i.principal - i.paidPrincipal);
        i.paidPrincipal += pri;
        split.principal += pri;
        if (
          i.paidPrincipal === i.principal &&
          i.paidInterest === i.interest &&
          i.paidPenalties === i.penalties
        )
          i.settled_on ??= today;
      }
      if (
        loan.status === 'in_arrears' &&
        !loan.schedule.some((i) => i.due_date < today && i.settled_on === null)
      ) {
        loan.status = 'active';
        loan.history.push({ status: 'active', bank_date: today });
      }
    }
    const n = ++this.#sequence;
    return {
      status: 201,
      body: {
        id: `lrp_mock${n}`,
        loan_id: loan.id,
        kind: 'repayment',
        channel: 'wallet',
        amount: money(amount),
        principal: money(split.principal),
        interest: money(split.interest),
        fees: money(ZERO),
        penalties: money(split.penalties),
        to_wallet: money(ZERO),
        journal_entry_id: `je_mock${n}`,
        bank_date: today,
        created_at: new Date().toISOString(),
        loan: this.#loan(loan),
      },
    };
  }

  #loan(loan: MockLoan) {
    const today = this.fixtures.bankDate;
    const owed = this.#owed(loan);
    const firstOverdue = loan.schedule.find((i) => i.due_date < today && i.settled_on === null);
    const dpd = firstOverdue && loan.status !== 'closed' ? daysBetween(firstOverdue.due_date, today) : 0;
    let dueMarked = false;
    const label = (status: MockLoanStatus) => LABELS[status];
    return {
      id: loan.id,
      loan_number: loan.loan_number,
      status: loan.status,
      label: label(loan.status),
      customer_id: this.customerId,
      product_id: loan.productId,
      application_id: loan.applicationId,
      currency: CURRENCY,
      principal: money(loan.principal),
      term_months: loan.termMonths,
      interest_method: 'declining_balance',
      amortization: 'equal_principal',
      annual_rate: (Number(loan.rateBp) / 10_000).toString(),
      processing_fee: money(loan.fee),
      disbursement_date: loan.disbursement_date,
      outstanding: {
        principal: money(owed.principal),
        interest: money(owed.interest),
        fees: money(ZERO),
        penalties: money(owed.penalties),
        total: money(owed.principal + owed.interest + owed.penalties),
      },
      in_suspense: money(ZERO),
      days_past_due: dpd,
      arrears_bucket:
        dpd === 0 ? 'current' : dpd <= 30 ? '1-30' : dpd <= 60 ? '31-60' : dpd <= 90 ? '61-90' : '91+',
      cbk_class:
        dpd === 0
          ? 'normal'
          : dpd <= 30
            ? 'watch'
            : dpd <= 90
              ? 'substandard'
              : dpd <= 180
                ? 'doubtful'
                : 'loss',
      written_off: money(loan.writtenOff),
      recovered: money(ZERO),
      closed_on: loan.closed_on,
      schedule: loan.schedule.map((i) => {
        const due =
          i.principal + i.interest + i.penalties - i.paidPrincipal - i.paidInterest - i.paidPenalties;
        let state: 'paid' | 'overdue' | 'due' | 'upcoming';
        if (i.settled_on !== null || due === ZERO) state = 'paid';
        else if (i.due_date < today) state = 'overdue';
        else if (!dueMarked) {
          state = 'due';
          dueMarked = true;
        } else state = 'upcoming';
        const paid = i.paidPrincipal + i.paidInterest + i.paidPenalties;
        return {
          n: i.n,
          due_date: i.due_date,
          principal: money(i.principal),
          interest: money(i.interest),
          fees: money(ZERO),
          penalties: money(i.penalties),
          total: money(i.principal + i.interest + i.penalties),
          paid: {
            principal: money(i.paidPrincipal),
            interest: money(i.paidInterest),
            fees: money(ZERO),
            penalties: money(i.paidPenalties),
            total: money(paid),
          },
          due: money(loan.status === 'closed' ? ZERO : due),
          state: loan.status === 'closed' ? 'paid' : state,
          settled_on: i.settled_on,
        };
      }),
      status_history: loan.history.map((h) => ({
        status: h.status,
        label: label(h.status),
        bank_date: h.bank_date,
        reason: null,
        at: `${h.bank_date}T09:00:00.000Z`,
      })),
      created_at: `${loan.disbursement_date}T09:00:00.000Z`,
    };
  }
}

const LABELS: Record<MockLoanStatus, string> = {
  pending_disbursement: 'WIP',
  disbursed: 'Disbursed',
  active: 'Credited',
  in_arrears: 'In arrears',
  closed: 'Closed',
  written_off: 'Written off',
};
