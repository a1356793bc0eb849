import type { TestBank } from '../../src/testing/index.ts';

/** Settings that make the rails' schedule run in test time (the sandbox defaults are minutes). */
export const FAST_RAILS = {
  WEKEZA_RAILS_INTERVAL_MS: '100',
  WEKEZA_STK_TIMEOUT_MS: '1500',
  WEKEZA_PAYOUT_FIRST_CHECK_MS: '300',
  WEKEZA_PAYOUT_CHECK_MAX_MS: '600',
  WEKEZA_PAYOUT_ALERT_AFTER_MS: '2500',
  WEKEZA_RAIL_ORPHAN_AFTER_MS: '1500',
  WEKEZA_WEBHOOK_INTERVAL_MS: '100',
};

/** Polls `check` until it answers something truthy (or fails after `timeoutMs`). */
export async function waitFor<T>(
  check: () => Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Posts a callback to the bank as a rail would (the sandbox token unless another is given). */
export async function callback(
  bank: TestBank,
  rail: string,
  kind: string,
  body: unknown,
  options: { token?: string; contentType?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const token = options.token ?? bank.config.rails.callbackToken;
  const res = await fetch(`${bank.url}/v1/rails/${rail}/${kind}/${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

/** A payer pays the paybill from their phone through the simulator's Daraja C2B simulate API. */
export async function payBill(bank: TestBank, input: { phone: string; amount: number; account: string }) {
  const simulator = bank.services.simulator;
  if (!simulator) throw new Error('no simulator');
  const mpesa = bank.config.rails.mpesa;
  const basic = Buffer.from(`${mpesa.consumerKey}:${mpesa.consumerSecret}`).toString('base64');
  const token = (await (
    await fetch(`${simulator.url}/oauth/v1/generate?grant_type=client_credentials`, {
      headers: { authorization: `Basic ${basic}` },
    })
  ).json()) as { access_token: string };
  const res = await fetch(`${simulator.url}/mpesa/c2b/v1/simulate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ShortCode: mpesa.shortcode,
      CommandID: 'CustomerPayBillOnline',
      Amount: input.amount,
      Msisdn: input.phone,
      BillRefNumber: input.account,
    }),
  });
  if (res.status !== 200) throw new Error(`c2b simulate: ${res.status} ${await res.text()}`);
}

/** The cached balance (normal side) of an account, in minor units. */
export async function balanceOf(
  bank: TestBank,
  accountId: string,
): Promise<{ balance: bigint; held: bigint }> {
  const account = await bank.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  return { balance: account.balanceMinor, held: account.heldMinor };
}
