import { describe, expect, test } from 'vitest';

import { sampleRequest } from '../events/sample-events.js';
import type { EventOf } from '../events/types.js';
import { LatencyWindow } from './latency-window.js';
import { HISTORY_S, TrafficStats, WINDOW_S } from './traffic.js';

/** within the histogram's precision (1%) */
const near = (got: number | undefined, want: number): void =>
  expect(Math.abs((got ?? Number.NaN) - want) / want, `${got} vs ${want}`).toBeLessThan(0.01);

const ref = (name: string, uid: number) => ({ name, type: 'web', uid });
const spawned = (name: string, uid: number, replacing = false): EventOf<'instance:spawned'> => ({
  ...ref(name, uid),
  kind: 'instance:spawned',
  pid: 100 + uid,
  port: 4000 + uid,
  replacing,
});

function traffic() {
  let now = 1_000_000;
  const stats = new TrafficStats(() => now);
  const at = (ms: number): void => void (now = 1_000_000 + ms);
  const request = (name: string, durationMs: number): void =>
    stats.handle(sampleRequest({ instance: ref(name, Number(name.slice(-1))), durationMs }));
  return { stats, at, request };
}

describe('LatencyWindow', () => {
  test('counts and percentiles over the complete seconds of the window only; old seconds slide out', () => {
    const window = new LatencyWindow(5);
    for (let i = 0; i < 50; i++) window.record(10, 1);
    for (let i = 0; i < 50; i++) window.record(11, 9);
    window.record(12, 1000); // the second under way: not yet counted
    const figures = window.figures(12);
    expect(figures.rps).toBe(20);
    near(figures.p50, 1);
    near(figures.p99, 9);
    // second 10 leaves the window at 16, 11 at 17, 12 at 18
    expect(window.figures(16).rps).toBe(10 + 1 / 5);
    expect(window.figures(17)).toEqual({ rps: 0.2, p50: 1000, p99: 1000 });
    expect(window.figures(18)).toEqual({ rps: 0, p50: undefined, p99: undefined });
  });

  test('a second that comes round again reuses its slot, handing the old one over first', () => {
    const retired: Array<[number, number]> = [];
    const window = new LatencyWindow(2, (second, h) => retired.push([second, h.count]));
    window.record(1, 5);
    window.record(1, 5);
    window.record(4, 5); // 4 % 3 === 1: second 1's slot
    expect(retired).toEqual([[1, 2]]);
    expect(window.at(1)).toBeUndefined();
    expect(window.at(4)?.count).toBe(1);
  });
});

describe('TrafficStats', () => {
  test('per instance and per type: req/s and p50/p99 over the window', () => {
    const { stats, at, request } = traffic();
    for (let s = 0; s < WINDOW_S; s++) {
      at(s * 1000 + 10);
      for (let i = 0; i < 100; i++) request('web.1', 2);
      for (let i = 0; i < 50; i++) request('web.2', i < 49 ? 4 : 40);
    }
    at(WINDOW_S * 1000 + 10);
    expect(stats.instance('web.1')).toEqual({ rps: 100, p50: 2, p99: 2 });
    expect(stats.instance('web.2').rps).toBe(50);
    near(stats.instance('web.2').p50, 4);
    near(stats.instance('web.2').p99, 40);
    const web = stats.type('web');
    expect(web.rps).toBe(150);
    near(web.p50, 2);
    near(web.p99, 4);
    expect(stats.instance('web.3')).toEqual({ rps: 0, p50: undefined, p99: undefined });
  });

  test('a minute of history per type, kept after the window has moved on, then forgotten', () => {
    const { stats, at, request } = traffic();
    for (let s = 0; s < 20; s++) {
      at(s * 1000);
      for (let i = 0; i <= s; i++) request('web.1', s + 1);
    }
    at(20_000);
    const history = stats.history('web', 20);
    expect(history.rps).toEqual(Array.from({ length: 20 }, (_, s) => s + 1));
    expect(history.p99.map((p) => Math.round(p ?? 0))).toEqual(Array.from({ length: 20 }, (_, s) => s + 1));
    expect(stats.history('web').rps).toHaveLength(HISTORY_S);
    at((HISTORY_S + 30) * 1000);
    request('web.1', 1);
    at((HISTORY_S + 31) * 1000);
    expect(stats.history('web').rps.reduce((a, b) => a + b, 0)).toBe(1);
  });

  test('scale, restart, kill and crash marked at their second; start-up is not news', () => {
    const { stats, at } = traffic();
    stats.handle(spawned('web.1', 1));
    stats.handle({ kind: 'run:ready', startedMs: 5, crashed: [] });
    at(2_000);
    stats.handle(spawned('web.2', 2));
    at(4_000);
    stats.handle({ ...ref('web.1', 1), kind: 'restart:started', reason: 'r pressed', signal: 'SIGTERM' });
    stats.handle(spawned('web.1', 3, true));
    at(6_000);
    stats.handle({ ...ref('web.2', 2), kind: 'restart:started', reason: 'killed on request', signal: 'SIGKILL' });
    const exited: EventOf<'instance:exited'> = {
      ...ref('web.2', 2),
      kind: 'instance:exited',
      pid: 102,
      code: null,
      signal: 'SIGKILL',
      state: 'crashed',
      restartInMs: undefined,
      killedAfterMs: undefined,
    };
    stats.handle(exited);
    at(8_000);
    stats.handle({
      ...ref('web.2', 4),
      kind: 'instance:signalled',
      pid: 104,
      signal: 'SIGTERM',
      reason: 'scaled down',
    });
    at(9_000);
    stats.handle(exited);
    at(10_000);
    expect(stats.history('web', 10).marks).toEqual([
      undefined,
      undefined,
      '+',
      undefined,
      'r',
      undefined,
      'k',
      undefined,
      '-',
      'x',
    ]);
    // web.2 was scaled away: spawning it again is a scale-up
    stats.handle(spawned('web.2', 5));
    at(11_000);
    expect(stats.history('web', 1).marks).toEqual(['+']);
  });
});
