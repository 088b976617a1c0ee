// What `start --record` keeps of a routed request: the request as it came (headers in their order, the body
// when it was read whole), the response's head and body as the router recorded them, and the marks of the
// `request:done` event (instance, hop, after a restart).
import type { EventOf } from '../events/types.js';
import type { Exchange } from '../har/exchange.js';
import type { AmnesiaMarks } from '../har/har.js';
import { RECORD_BODY_LIMIT } from '../har/exchange.js';
import type { Routed } from './request-report.js';

export function exchangeOf(r: Routed, event: EventOf<'request:done'>, connection: number): Exchange {
  const recorded = r.facts?.recorded;
  const body = r.body;
  const cut = body === 'stream' || (Buffer.isBuffer(body) && body.length > RECORD_BODY_LIMIT);
  // the optional marks set after, not spread in: this runs for every recorded request
  const marks: AmnesiaMarks = {
    type: event.type,
    instance: event.instance?.name,
    hop: event.hop,
    afterRestart: event.afterRestart,
    retried: event.retried,
  };
  if (event.error !== undefined) marks.error = event.error;
  if (cut) marks.requestBodyCut = true;
  return {
    startedMs: performance.timeOrigin + r.started,
    timeMs: event.durationMs,
    method: r.method,
    path: r.path,
    host: r.req.headers.host ?? 'localhost',
    httpVersion: r.req.httpVersion,
    requestHeaders: r.req.rawHeaders,
    requestBody: Buffer.isBuffer(body) && !cut && body.length > 0 ? body : undefined,
    requestBodyCut: cut,
    status: event.status,
    statusText: recorded?.statusText ?? '',
    responseHeaders: recorded?.headers ?? {},
    responseBody: recorded?.body ?? [],
    responseSize: recorded?.size ?? 0,
    connection,
    marks,
  };
}

/** a response's head and the first RECORD_BODY_LIMIT bytes of its body, for a recording */
export interface RecordedResponse {
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer[];
  kept: number;
  size: number;
}

/** one more chunk of a recorded response */
export function keep(recorded: RecordedResponse, chunk: Buffer): void {
  recorded.size += chunk.length;
  if (recorded.kept >= RECORD_BODY_LIMIT) return;
  const part = Buffer.from(chunk.subarray(0, RECORD_BODY_LIMIT - recorded.kept));
  recorded.body.push(part);
  recorded.kept += part.length;
}
