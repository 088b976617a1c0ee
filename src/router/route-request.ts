// One HTTP request through the router: its body read (replayable when small), an instance from the pool
// (waiting for one if none is ready), up to three attempts when nothing reached the client, a 502/503/504
// that names the instance, and one report.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ambiguousHost } from './headers.js';
import { proxyAttempt } from './proxy-http.js';
import { hasNoBody, readBody } from './request-body.js';
import type { RouteContext } from './route-context.js';
import type { Routed } from './request-report.js';

const MAX_ATTEMPTS = 3;
const NONE: ReadonlySet<number> = new Set();
const ignore = (): void => undefined;
export const WAITING_CLIENT_LEFT = 'client closed the connection while waiting for an instance';

export async function routeRequest(c: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (ambiguousHost(req)) {
    res.shouldKeepAlive = false;
    fail(res, 400, 'more than one Host header\n');
    return;
  }
  const client = c.client(req);
  const r: Routed = {
    req,
    client,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    // monotonic and finer than a millisecond: latency percentiles of a hello world are fractions of one
    started: performance.now(),
    previous: c.balancer.previous(client),
    upstream: undefined,
    status: 0,
    retried: false,
    error: undefined,
  };
  req.on('error', ignore);
  res.on('error', ignore);
  let body: Buffer | null | 'stream' = null;
  try {
    if (!hasNoBody(req)) body = await readBody(req);
  } catch {
    return done(c, r, 499, 'client aborted while sending the body');
  }
  r.body = body;
  // allocated only when an attempt fails: the common request never excludes anything
  let exclude: ReadonlySet<number> = NONE;
  let resets = 0;
  let lastError = 'no instance became ready';
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const upstream = c.pool.pick(client, exclude) ?? (await c.pool.acquire(client, exclude, res, c.readyTimeoutMs));
    if (res.destroyed) return done(c, r, 499, WAITING_CLIENT_LEFT);
    if (!upstream) break;
    c.balancer.remember(client, upstream.uid);
    upstream.begin();
    const result = await proxyAttempt({
      req,
      res,
      upstream,
      body,
      forward: c.forward(req),
      instanceHeader: c.instanceHeader,
      mayRetryReset: resets === 0,
      idleTimeoutMs: c.upstreamTimeoutMs,
      record: c.recorder !== undefined,
    });
    upstream.end();
    if (result.outcome === 'retry') {
      r.retried = true;
      lastError = `${upstream.ref.name}: ${result.error}`;
      // refused or reset: that instance is going (killed, crashed) or gone, so the next attempt goes to another
      exclude = new Set([...exclude, upstream.uid]);
      if (result.reason === 'reset') resets++;
      continue;
    }
    if (result.outcome === 'failed' && (result.status === 502 || result.status === 504)) {
      const what = result.status === 504 ? 'timed out' : 'failed';
      fail(res, result.status, `amnesia: ${c.type} instance ${upstream.ref.name} ${what}: ${result.error}\n`);
    }
    r.upstream = upstream;
    if (result.outcome === 'done') r.facts = result.facts;
    return done(c, r, result.status, result.outcome === 'failed' ? result.error : undefined);
  }
  const status = r.retried ? 502 : 503;
  const why = r.retried
    ? lastError
    : (c.pool.looping ?? `no ${c.type} instance was ready within ${c.readyTimeoutMs / 1000}s`);
  fail(res, status, `amnesia: ${why}\n`);
  done(c, r, status, why);
}

function done(c: RouteContext, r: Routed, status: number, error: string | undefined): void {
  r.status = status;
  r.error = error;
  c.report(r);
}

function fail(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
