import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go (API.md, Events): in production only `https` to public addresses — never
 * loopback, private, link-local, carrier-grade NAT, multicast, documentation or reserved ranges, so
 * that an endpoint URL cannot make the bank call into its own network (SSRF). Names are resolved
 * and every address checked, at registration and again on every delivery, where the connection is
 * pinned to the address that was checked (a name cannot re-resolve elsewhere in between). The
 * sandbox also allows http(s)://127.0.0.1.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as the IPv4 address it is. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? (match[1] as string) : address;
}

export function isPublicAddress(address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return false;
  return !blocked.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

export class UnsafeUrlError extends Error {
  override name = 'UnsafeUrlError';
}

export interface UrlPolicy {
  /** Sandbox: allow 127.0.0.1 (http or https) as well. */
  allowLoopback: boolean;
}

const isLoopbackLiteral = (hostname: string) => hostname === '127.0.0.1';

/** Checks a URL's form (scheme, no credentials); throws UnsafeUrlError. */
export function checkUrlForm(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('is not a URL');
  }
  if (url.username || url.password) throw new UnsafeUrlError('must not carry credentials');
  const loopback = policy.allowLoopback && isLoopbackLiteral(url.hostname);
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:'))
    throw new UnsafeUrlError(
      policy.allowLoopback ? 'must be https (or http://127.0.0.1 in the sandbox)' : 'must be https',
    );
  return url;
}

/**
 * The address to connect to for `url`: resolved, and refused unless every address of the name is
 * public (or the sandbox's loopback literal).
 */
export async function resolveSafely(
  url: URL,
  policy: UrlPolicy,
): Promise<{ address: string; family: 4 | 6 }> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (policy.allowLoopback && isLoopbackLiteral(hostname)) return { address: hostname, family: 4 };
  const literal = isIP(hostname);
  if (literal !== 0) {
    if (!isPublicAddress(hostname)) throw new UnsafeUrlError('points to a private or reserved address');
    return { address: hostname, family: literal as 4 | 6 };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(hostname, { all: true, verbatim: true });
  } catch {
    throw new UnsafeUrlError('cannot be resolved');
  }
  if (addresses.length === 0) throw new UnsafeUrlError('cannot be resolved');
  if (addresses.some((a) => !isPublicAddress(a.address)))
    throw new UnsafeUrlError('resolves to a private or reserved address');
  const first = addresses[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
