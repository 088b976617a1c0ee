import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';

import { keep, type RecordedResponse } from './record.js';
import { clientHeaders, upstreamHeaders, type ForwardInfo } from './headers.js';
import type { Upstream } from './upstream.js';

const SAFE = new Set(['GET', 'HEAD']);
const ENGINE_IO = /[?&]EIO=\d/;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const REFUSED = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT']);
// UND_ERR_DESTROYED: the instance exited (killed, crashed) and its connection pool went with it mid-request
const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

/** how much of a response body is kept for the detector (ids, socket.io sids, error messages) */
export const BODY_SAMPLE = 4096;
/** documents that list or describe objects, whatever the request */
const DOCUMENT = /json|html|xml/i;
const TEXTUAL = /text|javascript|urlencoded/i;

/** what the detector needs of a response */
export interface ResponseFacts {
  setCookie: string[];
  location: string | undefined;
  contentType: string | undefined;
  /** the first BODY_SAMPLE bytes of a text-like body; chunks are kept as received, joined only when read */
  sample: Buffer[];
  sampled: number;
  /** when recording (`start --record`): the whole head and the body's first RECORD_BODY_LIMIT bytes */
  recorded?: RecordedResponse;
}

export type AttemptResult =
  | { outcome: 'done'; status: number; facts: ResponseFacts }
  /** nothing reached the client: another attempt may be made */
  | { outcome: 'retry'; reason: 'refused' | 'reset'; error: string }
  | { outcome: 'failed'; status: number; error: string };

export interface Attempt {
  req: IncomingMessage;
  res: ServerResponse;
  upstream: Upstream;
  /** null: no body; Buffer: read already (replayable); 'stream': piped from the client */
  body: Buffer | null | 'stream';
  forward: ForwardInfo;
  instanceHeader: boolean;
  /** a retry is still allowed for a reset socket */
  mayRetryReset: boolean;
  /** the longest wait for the response head, and between two body chunks; 0: none */
  idleTimeoutMs: number;
  /** keep the response for a recording */
  record: boolean;
}

const errorCode = (error: Error): string => (error as { code?: string }).code ?? error.name;

// One attempt at proxying a request to one instance with undici's dispatch: streams both bodies with
// backpressure, aborts upstream when the client goes away, and says whether a failure may be retried.
export function proxyAttempt({
  req,
  res,
  upstream,
  body,
  forward,
  instanceHeader,
  mayRetryReset,
  idleTimeoutMs,
  record,
}: Attempt): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let settled = false;
    // every field from the start (`recorded` too, when not recording): one shape for V8 on every request
    const facts: ResponseFacts = {
      setCookie: [],
      location: undefined,
      contentType: undefined,
      sample: [],
      sampled: 0,
      recorded: undefined,
    };
    let sampling = false;
    const settle = (result: AttemptResult): void => {
      if (settled) return;
      settled = true;
      res.off('close', onClientClose);
      resolve(result);
    };
    const onClientClose = (): void => {
      if (!res.writableFinished) {
        // settled first: aborting calls onResponseError at once, which must not call it an instance's failure
        settle({ outcome: 'failed', status: status || 499, error: 'client closed the connection' });
        controller?.abort(new Error('client went away'));
      }
    };
    res.on('close', onClientClose);
    const method = req.method ?? 'GET';
    upstream.pool.dispatch(
      {
        path: req.url ?? '/',
        method,
        headers: upstreamHeaders(req.headers, forward),
        body: body === 'stream' ? req : body,
        idempotent: IDEMPOTENT.has(method) && body !== 'stream',
        // undici's own timers (coarse, shared): the wait for the head, and the silence between two body
        // chunks, so long downloads and streams that keep talking are never cut; an EventSource (it asks for
        // text/event-stream) may stay quiet for minutes by design, and only its head is timed
        headersTimeout: idleTimeoutMs,
        bodyTimeout: String(req.headers.accept ?? '').includes('text/event-stream') ? 0 : idleTimeoutMs,
      },
      {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(new Error('client went away'));
        },
        onResponseStart(_c, statusCode, headers, statusMessage) {
          if (statusCode < 200) return;
          status = statusCode;
          if (record) facts.recorded = { statusText: statusMessage ?? '', headers, body: [], kept: 0, size: 0 };
          const setCookie = headers['set-cookie'];
          if (setCookie !== undefined) facts.setCookie = Array.isArray(setCookie) ? setCookie : [setCookie];
          const location = headers['location'];
          if (location !== undefined) facts.location = String(location);
          const contentType = headers['content-type'];
          facts.contentType = contentType === undefined ? undefined : String(contentType);
          // ids come from what a write answers (any text), from JSON and HTML documents, and from engine.io's
          // text handshake; a plain-text GET, an octet stream or server-sent events are not sampled (copying
          // every hello-world answer cost the router ~5% of its throughput in bench:router)
          const type = facts.contentType ?? '';
          sampling =
            !type.includes('event-stream') &&
            (DOCUMENT.test(type) ||
              (TEXTUAL.test(type) && (!SAFE.has(method) || ENGINE_IO.test(req.url ?? ''))) ||
              (type === '' && !SAFE.has(method)));
          if (res.headersSent || res.destroyed) return;
          res.writeHead(
            statusCode,
            statusMessage,
            clientHeaders(headers, instanceHeader ? upstream.ref.name : undefined),
          );
          // a stream (server-sent events, chunked) may stay quiet a while: its headers must not wait for
          // the first chunk; a sized response goes out with its body in one write
          if (headers['content-length'] === undefined) res.flushHeaders();
        },
        onResponseData(c, chunk) {
          if (facts.recorded) keep(facts.recorded, chunk);
          if (sampling && facts.sampled < BODY_SAMPLE) {
            // a copy of at most BODY_SAMPLE bytes: the chunk itself may be reused once written
            const part = Buffer.from(chunk.subarray(0, BODY_SAMPLE - facts.sampled));
            facts.sample.push(part);
            facts.sampled += part.length;
          }
          if (!res.write(chunk)) {
            c.pause();
            res.once('drain', () => c.resume());
          }
        },
        onResponseEnd() {
          res.end();
          settle({ outcome: 'done', status, facts });
        },
        onResponseError(_c, error) {
          const code = errorCode(error);
          if (settled) return;
          if (code === 'UND_ERR_HEADERS_TIMEOUT' && status === 0 && !res.headersSent) {
            settle({
              outcome: 'failed',
              status: 504,
              error: `no answer for ${idleTimeoutMs / 1000}s (--upstream-timeout)`,
            });
            return;
          }
          if (status === 0 && !res.headersSent) {
            const replayable = body !== 'stream';
            if (REFUSED.has(code) && replayable) {
              settle({ outcome: 'retry', reason: 'refused', error: `${code}: ${error.message}` });
              return;
            }
            if (RESET.has(code) && replayable && mayRetryReset && IDEMPOTENT.has(method)) {
              settle({ outcome: 'retry', reason: 'reset', error: `${code}: ${error.message}` });
              return;
            }
            settle({ outcome: 'failed', status: 502, error: `${code}: ${error.message}` });
            return;
          }
          // the response had begun: the client sees it break off, as it would from the app itself
          res.destroy();
          settle({ outcome: 'failed', status, error: `response broken off: ${code}: ${error.message}` });
        },
      },
    );
  });
}
