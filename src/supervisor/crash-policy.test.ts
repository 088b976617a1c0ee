import { describe, expect, test } from 'vitest';

import { CrashPolicy } from './crash-policy.js';

describe('CrashPolicy', () => {
  test('backoff doubles from 1s per slot, capped at 30s', () => {
    const policy = new CrashPolicy();
    const delays = [0, 1, 2, 3].map((i) => policy.record('web', `web.${i + 1}`, i * 20_000));
    expect(delays.every((d) => d.action === 'restart' && d.delayMs === 1000)).toBe(true);
    const slot = new CrashPolicy();
    const times = [0, 1, 3, 7];
    expect(times.map((t) => slot.record('w', 'w.1', t * 1000))).toEqual([1000, 2000, 4000, 8000].map((delayMs) => ({ action: 'restart', delayMs })));
  });
  test('backoff is capped at 30s', () => {
    const policy = new CrashPolicy();
    let last;
    for (let i = 0; i < 4; i++) last = policy.record('w', 'w.1', i * 70_000);
    expect(last).toEqual({ action: 'restart', delayMs: 1000 });
    const busy = new CrashPolicy();
    for (let i = 0; i < 4; i++) last = busy.record(`t${i}`, 'w.1', i);
    expect(last).toEqual({ action: 'restart', delayMs: 8000 });
  });
  test('5 crashes of a type within a minute: give up', () => {
    const policy = new CrashPolicy();
    const decisions = [0, 1, 3, 7, 15].map((s) => policy.record('worker', 'worker.1', s * 1000));
    expect(decisions.at(-1)).toEqual({ action: 'give-up', crashes: 5 });
  });
  test('crashes older than a minute are forgotten', () => {
    const policy = new CrashPolicy();
    const decisions = [0, 20, 40, 61, 81].map((s) => policy.record('worker', 'worker.1', s * 1000));
    expect(decisions.at(-1)?.action).toBe('restart');
  });
  test('forgive resets a type', () => {
    const policy = new CrashPolicy();
    for (let i = 0; i < 5; i++) policy.record('worker', 'worker.1', i);
    policy.forgive('worker');
    expect(policy.record('worker', 'worker.1', 10)).toEqual({ action: 'restart', delayMs: 1000 });
  });
});
