/**
 * Clients without credentials: the provider's client before sign-in, enough for `<wk-login>`.
 * Widgets that would open the event stream skip them: a stream without a token is only refused
 * (a 401 on the page), and the provider hands out the signed-in client a moment later.
 */
const anonymous = new WeakSet<object>();

export function markAnonymous<T extends object>(client: T): T {
  anonymous.add(client);
  return client;
}

export function isAnonymous(client: object): boolean {
  return anonymous.has(client);
}
