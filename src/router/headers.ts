import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

const PLAIN_CONNECTION = /^\s*(keep-alive|close|upgrade)\s*$/i;

/** hop-by-hop names, plus those the Connection header nominates (RFC 9110 7.6.1) */
function dropped(connection: string | string[] | undefined): ReadonlySet<string> {
  // the common case, on the path of every request: nothing nominated
  if (connection === undefined || (typeof connection === 'string' && PLAIN_CONNECTION.test(connection)))
    return HOP_BY_HOP;
  const names = new Set(HOP_BY_HOP);
  const list = Array.isArray(connection) ? connection.join(',') : connection;
  for (const name of list.split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  return names;
}

export interface ForwardInfo {
  clientAddress: string;
  proto: 'http' | 'https';
  host: string | undefined;
}

// The headers to send upstream: hop-by-hop ones removed, X-Forwarded-For/-Proto/-Host set.
export function upstreamHeaders(
  headers: IncomingHttpHeaders,
  forward: ForwardInfo,
  keepUpgrade = false,
): Record<string, string | string[]> {
  const skip = dropped(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || (skip.has(name) && !(keepUpgrade && name === 'upgrade'))) continue;
    out[name] = value;
  }
  const prior = headers['x-forwarded-for'];
  out['x-forwarded-for'] = prior
    ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${forward.clientAddress}`
    : forward.clientAddress;
  out['x-forwarded-proto'] = forward.proto;
  if (forward.host) out['x-forwarded-host'] = forward.host;
  return out;
}

// The headers to send back to the client: hop-by-hop ones removed, the instance named.
export function clientHeaders(
  headers: Record<string, string | string[] | undefined>,
  instance: string | undefined,
): OutgoingHttpHeaders {
  const skip = dropped(headers['connection']);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || skip.has(name)) continue;
    out[name] = value;
  }
  if (instance) out['x-amnesia-instance'] = instance;
  return out;
}

// RFC 9112 §3.2: a request with more than one Host line must get 400, as the two could name different
// sites to two parsers. Node's parser accepts it (and joins nothing: it keeps the first).
// Scans the raw header list: `headersDistinct` would build a second header object for every request
// (~0.4 us of the router's ~40 us per request in bench:router).
export function ambiguousHost(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  let seen = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}
