import { EventEmitter } from 'node:events';

import { describe, expect, test } from 'vitest';

import { FakeClock } from '../../test/fakes/clock.js';
import { createRandom } from '../random.js';
import { Balancer } from './balancer.js';
import { UpstreamPool } from './upstream-pool.js';

const web = (uid: number) => ({ name: `web.${uid}`, type: 'web', uid });

class Client extends EventEmitter {
  destroyed = false;
  leave(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

function pool(mode: 'random' | 'round-robin' = 'round-robin') {
  const clock = new FakeClock();
  return { clock, pool: new UpstreamPool('127.0.0.1', new Balancer(mode, createRandom(1)), clock) };
}

describe('UpstreamPool on a virtual clock', () => {
  test('a request with no ready instance waits, and gets the first one that becomes ready', async () => {
    const { pool: p } = pool();
    const waiting = p.acquire('c', new Set(), new Client(), 30_000);
    expect(p.waiting).toBe(1);
    p.add(web(1), 4001);
    expect((await waiting)?.uid).toBe(1);
    expect(p.waiting).toBe(0);
    p.close();
  });

  test('the wait ends at the ready timeout, not a millisecond before', async () => {
    const { clock, pool: p } = pool();
    let result: unknown = 'pending';
    void p.acquire('c', new Set(), new Client(), 30_000).then((u) => (result = u));
    await clock.advance(29_999);
    expect(result).toBe('pending');
    await clock.advance(1);
    expect(result).toBeUndefined();
    expect(p.waiting).toBe(0);
  });

  test('a client that leaves while waiting is let go at once, and holds nothing', async () => {
    const { clock, pool: p } = pool();
    const client = new Client();
    const waiting = p.acquire('c', new Set(), client, 30_000);
    client.leave();
    expect(await waiting).toBeUndefined();
    expect(p.waiting).toBe(0);
    expect(client.listenerCount('close')).toBe(0);
    expect(clock.pending).toBe(0);
  });

  test('crash looping answers held requests at once, and new ones do not wait', async () => {
    const { pool: p } = pool();
    const held = p.acquire('c', new Set(), new Client(), 30_000);
    p.crashLooping('every web instance is crash looping');
    expect(await held).toBeUndefined();
    expect(await p.acquire('c', new Set(), new Client(), 30_000)).toBeUndefined();
    expect(p.waiting).toBe(0);
    // an instance that gets ready again ends it
    p.add(web(2), 4002);
    expect(p.looping).toBeUndefined();
    p.close();
  });

  test('a draining instance gets no new request and is idle once its last one ends; it counts as retired', async () => {
    const { pool: p } = pool();
    p.add(web(1), 4001);
    p.add(web(2), 4002);
    const one = p.get(1);
    one?.begin();
    let idle = false;
    void p.drain(1).then(() => (idle = true));
    for (let i = 0; i < 10; i++) expect(p.pick('c', new Set())?.uid).toBe(2);
    expect(p.others(2)).toEqual([]);
    expect(p.retired(1)).toBe(true);
    await Promise.resolve();
    expect(idle).toBe(false);
    one?.end();
    await Promise.resolve();
    expect(idle).toBe(true);
    p.close();
  });

  test('instances are offered in name order whatever order they got ready in, so a seed replays the same picks', () => {
    const picks = (order: number[]): number[] => {
      const { pool: p } = pool('random');
      for (const uid of order) p.add(web(uid), 4000 + uid);
      const seen = Array.from({ length: 30 }, () => p.pick('c', new Set())?.uid ?? 0);
      p.close();
      return seen;
    };
    expect(picks([3, 1, 2])).toEqual(picks([1, 2, 3]));
  });
});
