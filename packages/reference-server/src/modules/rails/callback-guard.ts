import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/**
 * Who may post a rail callback. M-Pesa does not sign its callbacks, so the bank checks two things
 * it controls: the secret token in the callback path (compared in constant time: both sides are
 * hashed to the same length first, so neither the length nor the content leaks through timing),
 * and the caller's address against the rail's allow-list (IPs or CIDRs).
 */
export class CallbackGuard {
  readonly #token: Buffer;
  readonly #allow = new Map<string, BlockList>();

  constructor(token: string, allow: Record<string, readonly string[]>) {
    this.#token = createHash('sha256').update(token).digest();
    for (const [rail, entries] of Object.entries(allow)) this.#allow.set(rail, blockListOf(entries));
  }

  tokenMatches(given: string): boolean {
    return timingSafeEqual(createHash('sha256').update(given).digest(), this.#token);
  }

  addressAllowed(rail: string, address: string | undefined): boolean {
    const list = this.#allow.get(rail);
    if (!list || !address) return false;
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** A BlockList (used here as an allow-list) from `1.2.3.4`, `1.2.3.0/24`, `::1`, `2001:db8::/32`. */
export function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new Error(`not an IP address or CIDR: "${entry}"`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address as string, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
        throw new Error(`not a CIDR prefix: "${entry}"`);
      list.addSubnet(address as string, prefix, type);
    }
  }
  return list;
}
