import { describe, expect, test } from 'vitest';

import { createRandom } from '../random.js';
import { Histogram, merged, percentile } from './histogram.js';

/** the exact percentile of sorted samples, by the same rank rule (the smallest value with q of them at or below) */
const exact = (sorted: readonly number[], q: number): number =>
  sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? 0;

describe('Histogram', () => {
  test('percentiles read back within 1% of the exact ones, over six orders of magnitude', () => {
    const random = createRandom(11);
    // a latency-like mix: most requests around a millisecond, a long tail to seconds
    const samples = Array.from({ length: 50_000 }, () => {
      const r = random.next();
      return r < 0.9 ? 0.2 + random.next() * 2 : r < 0.99 ? 2 + random.next() * 50 : 50 + random.next() * 4000;
    });
    const h = new Histogram();
    for (const ms of samples) h.record(ms);
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.01, 0.1, 0.5, 0.75, 0.9, 0.99, 0.999]) {
      const got = percentile([h], q) ?? 0;
      const want = exact(sorted, q);
      expect(Math.abs(got - want) / want, `p${q * 100}: ${got} vs ${want}`).toBeLessThan(0.01);
    }
    expect(h.percentiles()?.max).toBeCloseTo(sorted.at(-1) ?? 0, 3);
    expect(h.count).toBe(50_000);
  });

  test('values under 256 µs come back exact; nothing recorded reads as undefined', () => {
    const h = new Histogram();
    expect(h.percentiles()).toBeUndefined();
    for (const us of [3, 17, 120, 255]) h.record(us / 1000);
    expect(percentile([h], 0.25)).toBe(0.003);
    expect(percentile([h], 1)).toBe(0.255);
  });

  test('several histograms read as one (the seconds of a window), without being added up', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 1; i <= 100; i++) (i % 2 ? a : b).record(i);
    const both = merged([a, b]);
    expect(both?.count).toBe(100);
    expect(Math.abs((both?.p50 ?? 0) - 50) / 50).toBeLessThan(0.01);
    expect(Math.abs((both?.p99 ?? 0) - 99) / 99).toBeLessThan(0.01);
    expect(both?.max).toBe(100);
  });

  test('a huge value is clamped rather than lost; reset empties it', () => {
    const h = new Histogram();
    h.record(1e12);
    expect(h.count).toBe(1);
    expect(percentile([h], 0.5)).toBeGreaterThan(4e6);
    h.reset();
    expect(h.count).toBe(0);
    expect(percentile([h], 0.5)).toBeUndefined();
  });
});
