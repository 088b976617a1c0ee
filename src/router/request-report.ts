// The `request:done` event of one routed request: who asked (session cookies, Authorization), who answered,
// whether it hopped or came after a restart, and what the detector needs of the response.
import type { IncomingMessage } from 'node:http';

import type { InstanceRef, EventOf } from '../events/types.js';
import { keyAfterResponse, parseSetCookie, sessionCookies } from '../shared/client-id.js';
import type { ResponseFacts } from './proxy-http.js';

export interface Routed {
  req: IncomingMessage;
  client: string;
  method: string;
  path: string;
  /** performance.now() when the request came in */
  started: number;
  /** the instance this client was sent to last time */
  previous: number | undefined;
  upstream: { uid: number; ref: InstanceRef } | undefined;
  status: number;
  retried: boolean;
  error: string | undefined;
  facts?: ResponseFacts;
  /** the request body as routed: read whole (small), streamed through, or none */
  body?: Buffer | null | 'stream';
}

const sample = (facts: ResponseFacts | undefined): Buffer | undefined =>
  facts === undefined || facts.sample.length === 0
    ? undefined
    : facts.sample.length === 1
      ? facts.sample[0]
      : Buffer.concat(facts.sample);

export interface ReportContext {
  type: string;
  /** performance.now() */
  now: number;
  retired(uid: number): boolean;
  /** llhttp's code when the client's bytes stopped parsing: the request was malformed, not abandoned */
  malformed: string | undefined;
}

export function requestDone(
  r: Routed,
  context: ReportContext,
): { event: EventOf<'request:done'>; nextKey: string | undefined } {
  const { malformed } = context;
  const uid = r.upstream?.uid;
  const safe = r.method === 'GET' || r.method === 'HEAD';
  const sent = sessionCookies(r.req.headers.cookie);
  const setCookies =
    r.facts === undefined || r.facts.setCookie.length === 0 ? [] : r.facts.setCookie.map(parseSetCookie);
  const nextKey = setCookies.length === 0 || uid === undefined ? undefined : keyAfterResponse(sent, setCookies);
  const event: EventOf<'request:done'> = {
    kind: 'request:done',
    type: context.type,
    instance: r.upstream?.ref,
    client: r.client,
    method: r.method,
    path: r.path,
    status: malformed === undefined ? r.status : 400,
    durationMs: Math.round((context.now - r.started) * 1000) / 1000,
    hop: r.previous !== undefined && uid !== undefined && r.previous !== uid,
    afterRestart: r.previous !== undefined && context.retired(r.previous),
    retried: r.retried,
    error: malformed === undefined ? r.error : `malformed request body (${malformed}): answered 400 and closed`,
    sessionCookies: sent,
    authorization: r.req.headers.authorization !== undefined,
    setCookies,
    location: r.facts?.location,
    contentType: r.facts?.contentType,
    bodySample: sample(r.facts),
    replayHeaders: safe ? (r.req.headers as Record<string, string | string[]>) : undefined,
  };
  return { event, nextKey };
}
