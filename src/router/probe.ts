// The same (safe) request sent straight to one instance, past the balancer: the detector's confirmations
// and mirror compare what different instances answer.
import { parseSetCookie } from '../shared/client-id.js';
import type { Upstream } from './upstream.js';

export interface ProbeResponse {
  status: number;
  body: string;
  contentType: string;
  setCookies: Array<[string, string]>;
  location: string | undefined;
}

const PROBE_TIMEOUT_MS = 10_000;

export async function probeInstance(
  upstream: Upstream,
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
): Promise<ProbeResponse | undefined> {
  upstream.begin();
  try {
    const forwarded = { ...headers };
    delete forwarded['connection'];
    delete forwarded['keep-alive'];
    const res = await upstream.pool.request({
      ...{ method, path, headers: forwarded },
      ...{ headersTimeout: PROBE_TIMEOUT_MS, bodyTimeout: PROBE_TIMEOUT_MS },
    });
    const body = await res.body.text();
    const setCookie = res.headers['set-cookie'];
    const cookies = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    return {
      status: res.statusCode,
      body,
      contentType: String(res.headers['content-type'] ?? ''),
      setCookies: cookies.map(parseSetCookie),
      location: res.headers['location'] === undefined ? undefined : String(res.headers['location']),
    };
  } catch {
    return undefined;
  } finally {
    upstream.end();
  }
}
