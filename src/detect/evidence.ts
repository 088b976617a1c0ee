import type { EventOf } from '../events/types.js';
import type { Redactor } from './redact.js';

export type Request = EventOf<'request:done'>;

const SAFE = new Set(['GET', 'HEAD']);
export const safeMethod = (method: string): boolean => SAFE.has(method);

const LOGIN = /login|signin|sign-in|sign_in|auth|session\/new/i;
export const isLoginRedirect = (status: number, location: string | undefined): boolean =>
  status >= 300 && status < 400 && location !== undefined && LOGIN.test(location);
export const okStatus = (status: number, location: string | undefined): boolean =>
  status >= 200 && status < 400 && !isLoginRedirect(status, location);

/** what a client remembers of its last request */
export interface Memory {
  uid: number;
  name: string;
  ok: boolean;
  at: number;
  /** summarised (and redacted) only when it becomes evidence: most requests never do */
  request: Request;
}

/** the body sample as text, at most `max` characters */
export const bodyText = (e: Request, max = 4096): string | undefined =>
  e.bodySample?.toString('utf8', 0, Math.min(e.bodySample.length, max));

// One request and its answer on one line, with cookie values, Authorization and secrets redacted.
export function summary(r: Redactor, e: Request): string {
  const cookies = e.sessionCookies.map(([n, v]) => r.cookie(n, v)).join('; ');
  const sent = [cookies ? `cookie: ${cookies}` : '', e.authorization ? 'authorization: <redacted>' : '']
    .filter((x) => x !== '')
    .join(', ');
  const set = e.setCookies.map(([n, v]) => r.cookie(n, v)).join('; ');
  const answer = [`${e.status}`, e.location ? `→ ${r.text(e.location)}` : '', set ? `set-cookie: ${set}` : '']
    .filter((x) => x !== '')
    .join(' ');
  return r.text(`${e.method} ${e.path}${sent ? ` (${sent})` : ''} → ${answer} from ${e.instance?.name ?? '?'}`);
}

/** a short form for lists: `GET /profile → 401 web.2 (hop)` */
export function brief(r: Redactor, e: Request): string {
  const mark = e.afterRestart ? ' (after restart)' : e.hop ? ' (hop)' : '';
  return r.text(`${e.method} ${e.path} → ${e.status} ${e.instance?.name ?? '(router)'}${mark}`);
}
