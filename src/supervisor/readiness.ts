import { connect } from 'node:net';

import { realClock, type Clock } from '../shared/clock.js';

export type Probe = () => Promise<boolean>;

// True when something accepts a TCP connection on the port.
export const tcpProbe =
  (host: string, port: number): Probe =>
  () =>
    new Promise((resolve) => {
      const socket = connect({ host, port });
      const done = (ok: boolean): void => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });

// True when GET path answers 2xx or 3xx. node:http is loaded on first use: a run without --health does not
// pay for it at start-up.
export const httpProbe =
  (host: string, port: number, path: string): Probe =>
  async () => {
    const { request } = await import('node:http');
    return new Promise((resolve) => {
      const req = request(
        { host, port, path, method: 'GET', agent: false, timeout: 2000, headers: { 'user-agent': 'amnesia-health' } },
        (res) => {
          res.resume();
          resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
        },
      );
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolve(false));
      req.end();
    });
  };

// Polls the probe until it succeeds (true), the signal aborts or the deadline passes (false).
export async function waitReady(
  probe: Probe,
  timeoutMs: number,
  signal: AbortSignal,
  clock: Clock = realClock,
): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  let delay = 10;
  while (!signal.aborted && clock.now() < deadline) {
    if (await probe()) return !signal.aborted;
    await clock.sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  return false;
}
