import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { createRandom } from '../random.js';
import { RestartScheduler, type RestartTarget } from './restart-scheduler.js';

function fakeTarget(names: string[]): RestartTarget & { restarts: string[] } {
  const restarts: string[] = [];
  return {
    restarts,
    restartable: (types) => names.filter((n) => types.some((t) => n.startsWith(`${t}.`))),
    restart: async (name) => {
      restarts.push(name);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RestartScheduler', () => {
  test('restarts one instance of the chaos types about every everyMs, the same ones for the same seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const target = fakeTarget(['web.1', 'web.2', 'web.3', 'worker.1']);
      const scheduler = new RestartScheduler(
        { everyMs: 1000, afterRequests: undefined, types: ['web'], signal: 'SIGTERM', random: createRandom(seed) },
        target,
      );
      scheduler.start();
      await vi.advanceTimersByTimeAsync(10_000);
      scheduler.stop();
      return target.restarts;
    };
    const first = await run(5);
    // waits are drawn between 0.5x and 1.5x: 10s holds between 6 and 20 restarts
    expect(first.length).toBeGreaterThanOrEqual(6);
    expect(first.length).toBeLessThanOrEqual(20);
    expect(first.every((name) => name.startsWith('web.'))).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run(5)).toEqual(first);
  });
  test('pause stops the timer; resume re-arms it', async () => {
    const target = fakeTarget(['web.1']);
    const scheduler = new RestartScheduler(
      { everyMs: 1000, afterRequests: undefined, types: ['web'], signal: 'SIGTERM', random: createRandom(1) },
      target,
    );
    scheduler.start();
    scheduler.setPaused(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(target.restarts).toEqual([]);
    scheduler.setPaused(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(target.restarts.length).toBeGreaterThan(0);
    scheduler.stop();
  });
  test('after N requests', async () => {
    const target = fakeTarget(['web.1', 'web.2']);
    const scheduler = new RestartScheduler(
      { everyMs: undefined, afterRequests: 3, types: ['web'], signal: 'SIGTERM', random: createRandom(1) },
      target,
    );
    scheduler.start();
    for (let i = 0; i < 7; i++) {
      scheduler.onRequest();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(target.restarts).toHaveLength(2);
    scheduler.stop();
  });
  test('nothing restartable: nothing happens', async () => {
    const target = fakeTarget([]);
    const scheduler = new RestartScheduler(
      { everyMs: 100, afterRequests: undefined, types: ['web'], signal: 'SIGTERM', random: createRandom(1) },
      target,
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(target.restarts).toEqual([]);
    scheduler.stop();
  });
});
