// HTTP load on keep-alive connections (undici's Pool), as autocannon and wrk make it. Closed loop by default:
// each connection sends its next request when the last one is answered. Open loop with a rate: requests are
// due at fixed times whatever the server does, and each latency is measured from when the request was due
// (wrk2's correction for coordinated omission: a stalled server then shows up in p99 instead of hiding it).
import { performance } from 'node:perf_hooks';

import { Pool } from 'undici';

import { Histogram, type Percentiles } from '../stats/histogram.js';

export interface LoadOptions {
  url: URL;
  connections: number;
  /** ms; the load also ends when `signal` aborts */
  durationMs: number;
  /** requests per second (open loop); undefined: closed loop */
  rate: number | undefined;
  /** paths requested in turn (with the URL's own path when none is given) */
  paths: string[];
  signal?: AbortSignal;
}

export interface LoadSummary {
  url: string;
  connections: number;
  rate: number | null;
  durationMs: number;
  requests: number;
  rps: number;
  latencyMs: Omit<Percentiles, 'count'> | null;
  /** answers by status code */
  statuses: Record<string, number>;
  /** requests that got no answer, by error code */
  errors: Record<string, number>;
}

/** at most this many requests waiting for a connection in an open loop: a server that stopped answering
 *  would otherwise grow the queue without end (the ones not sent are counted as errors) */
const MAX_QUEUED = 10_000;

export async function generateLoad(o: LoadOptions): Promise<LoadSummary> {
  const pool = new Pool(o.url.origin, { connections: o.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latency = new Histogram();
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const paths = o.paths.length > 0 ? o.paths : [`${o.url.pathname}${o.url.search}`];
  let sent = 0;
  let inFlight = 0;
  const started = performance.now();
  const deadline = started + o.durationMs;
  const over = (): boolean => o.signal?.aborted === true || performance.now() >= deadline;
  // stopped early (Ctrl-C): the requests in flight are abandoned, not counted
  o.signal?.addEventListener('abort', () => void pool.destroy().catch(() => undefined), { once: true });

  const one = async (due: number): Promise<void> => {
    const path = paths[sent++ % paths.length] ?? '/';
    inFlight++;
    try {
      const { statusCode, body } = await pool.request({ path, method: 'GET' });
      await body.dump();
      latency.record(performance.now() - due);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    } catch (error) {
      if (o.signal?.aborted) return;
      const code = (error as { code?: string }).code ?? 'ERROR';
      errors[code] = (errors[code] ?? 0) + 1;
    } finally {
      inFlight--;
    }
  };

  if (o.rate === undefined) {
    const worker = async (): Promise<void> => {
      while (!over()) await one(performance.now());
    };
    await Promise.all(Array.from({ length: o.connections }, worker));
  } else {
    await openLoop(o.rate, over, started, (due) => {
      if (inFlight >= MAX_QUEUED) errors['QUEUE_FULL'] = (errors['QUEUE_FULL'] ?? 0) + 1;
      else void one(due);
    });
    while (inFlight > 0 && o.signal?.aborted !== true) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const durationMs = Math.max(1, performance.now() - started);
  await pool.close().catch(() => undefined);
  const answered = latency.count;
  const p = latency.percentiles();
  return {
    url: o.url.href,
    connections: o.connections,
    rate: o.rate ?? null,
    durationMs: Math.round(durationMs),
    requests: answered,
    rps: Math.round((answered / durationMs) * 1000 * 10) / 10,
    latencyMs: p ? { p50: p.p50, p90: p.p90, p99: p.p99, max: p.max } : null,
    statuses,
    errors,
  };
}

// Sends every request whose due time has come, then sleeps until the next one is due (a timer's lateness is
// caught up at once: the requests it delayed are sent together, each timed from when it was due).
async function openLoop(rate: number, over: () => boolean, started: number, send: (due: number) => void) {
  const interval = 1000 / rate;
  let next = 0;
  while (!over()) {
    const now = performance.now();
    while (started + next * interval <= now) send(started + next++ * interval);
    const wait = started + next * interval - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
  }
}
