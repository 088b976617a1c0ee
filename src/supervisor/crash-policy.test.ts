import { describe, expect, test } from 'vitest';

import { CrashPolicy, STABLE_MS } from './crash-policy.js';

describe('CrashPolicy', () => {
  test('backoff doubles from 1s per slot', () => {
    const policy = new CrashPolicy();
    const delays = [0, 1, 2, 3].map((i) => policy.record('web', `web.${i + 1}`, i * 20_000, 100));
    expect(delays.every((d) => d.action === 'restart' && d.delayMs === 1000)).toBe(true);
    const slot = new CrashPolicy();
    expect([0, 1, 3, 7].map((t) => slot.record('w', 'w.1', t * 1000, 100))).toEqual(
      [1000, 2000, 4000, 8000].map((delayMs) => ({ action: 'restart', delayMs })),
    );
  });
  test('an instance that keeps dying young, too rarely to be a crash loop, reaches the 30s cap', () => {
    const policy = new CrashPolicy();
    // each instance lives 20 s: never 5 crashes within a minute, never stable
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      const decision = policy.record('w', 'w.1', now, 20_000);
      if (decision.action !== 'restart') throw new Error(`gave up after ${i} crashes`);
      delays.push(decision.delayMs);
      now += decision.delayMs + 20_000;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
  test('an instance that ran for STABLE_MS before crashing starts the backoff over', () => {
    const policy = new CrashPolicy();
    for (const t of [0, 25, 50]) policy.record('w', 'w.1', t * 1000, 20_000);
    expect(policy.record('w', 'w.1', 200_000, STABLE_MS)).toEqual({ action: 'restart', delayMs: 1000 });
  });
  test('5 crashes of a type within a minute: give up', () => {
    const policy = new CrashPolicy();
    const decisions = [0, 1, 3, 7, 15].map((s) => policy.record('worker', 'worker.1', s * 1000, 100));
    expect(decisions.at(-1)).toEqual({ action: 'give-up', crashes: 5 });
  });
  test('crashes older than a minute are forgotten', () => {
    const policy = new CrashPolicy();
    const decisions = [0, 20, 40, 61, 81].map((s) => policy.record('worker', 'worker.1', s * 1000, 100));
    expect(decisions.at(-1)?.action).toBe('restart');
  });
  test('forgive resets a type', () => {
    const policy = new CrashPolicy();
    for (let i = 0; i < 5; i++) policy.record('worker', 'worker.1', i, 100);
    policy.forgive('worker');
    expect(policy.record('worker', 'worker.1', 10, 100)).toEqual({ action: 'restart', delayMs: 1000 });
  });
});
