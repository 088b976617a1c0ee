import type { IncomingHttpHeaders } from 'node:http';

/** cookie names that usually carry a session or an identity */
const SESSION_COOKIE = /sess|sid|token|auth|jwt|remember|login|user/i;

// Who is asking: the session-like cookies, else the Authorization header, else the TCP connection.
// On localhost every client shares one address, so the address alone would say nothing.
export function clientKey(headers: IncomingHttpHeaders, connectionId: number): string {
  const cookies = sessionCookies(headers.cookie);
  if (cookies.length > 0) return `cookie:${cookies.map(([name, value]) => `${name}=${value}`).join(';')}`;
  const auth = headers.authorization;
  if (auth) return `auth:${auth}`;
  return `conn:${connectionId}`;
}

// The key the client will have on its next request, once it sends the session cookies this response set:
// a login answered from one connection and the requests that follow with its cookie are one client.
export function keyAfterResponse(
  sent: ReadonlyArray<[string, string]>,
  set: ReadonlyArray<[string, string]>,
): string | undefined {
  const fresh = set.filter(([name, value]) => SESSION_COOKIE.test(name) && value !== '');
  if (fresh.length === 0) return undefined;
  const merged = new Map(sent);
  for (const [name, value] of fresh) merged.set(name, value);
  const sorted = [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `cookie:${sorted.map(([name, value]) => `${name}=${value}`).join(';')}`;
}

/** the session-like cookies of a Cookie header, sorted by name */
export function sessionCookies(header: string | undefined): Array<[string, string]> {
  if (!header) return [];
  const found: Array<[string, string]> = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (SESSION_COOKIE.test(name)) found.push([name, part.slice(eq + 1).trim()]);
  }
  return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** the name and value of a Set-Cookie line (its attributes dropped) */
export const parseSetCookie = (header: string): [string, string] => {
  const pair = header.split(';')[0] ?? '';
  const eq = pair.indexOf('=');
  return eq === -1 ? [pair.trim(), ''] : [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
};
