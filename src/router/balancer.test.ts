import { describe, expect, test } from 'vitest';

import { createRandom } from '../random.js';
import { Balancer } from './balancer.js';
import { clientKey, keyAfterResponse, sessionCookies } from '../shared/client-id.js';
import { clientHeaders, upstreamHeaders } from './headers.js';

const three = [{ uid: 1 }, { uid: 2 }, { uid: 3 }];

describe('Balancer', () => {
  test('random is uniform enough and replays with the same seed', () => {
    const pick = (seed: number): number[] => {
      const balancer = new Balancer('random', createRandom(seed));
      return Array.from({ length: 600 }, () => balancer.pick(three, 'c')?.uid ?? 0);
    };
    const counts = [1, 2, 3].map((uid) => pick(42).filter((u) => u === uid).length);
    for (const count of counts) expect(count).toBeGreaterThan(150);
    expect(pick(42)).toEqual(pick(42));
    expect(pick(42)).not.toEqual(pick(43));
  });
  test('round-robin cycles', () => {
    const balancer = new Balancer('round-robin', createRandom(1));
    expect(Array.from({ length: 6 }, () => balancer.pick(three, 'c')?.uid)).toEqual([1, 2, 3, 1, 2, 3]);
  });
  test('hop never picks the instance that served the client last, while another is ready', () => {
    const balancer = new Balancer('hop', createRandom(7));
    let last: number | undefined;
    for (let i = 0; i < 200; i++) {
      const uid = balancer.pick(three, 'c')?.uid ?? 0;
      expect(uid).not.toBe(last);
      balancer.remember('c', uid);
      last = uid;
    }
    expect(balancer.pick([{ uid: 3 }], 'c')?.uid).toBe(3);
  });
  test('sticky keeps a client on its instance while it is ready', () => {
    const balancer = new Balancer('sticky', createRandom(7));
    const first = balancer.pick(three, 'c')?.uid ?? 0;
    balancer.remember('c', first);
    for (let i = 0; i < 50; i++) expect(balancer.pick(three, 'c')?.uid).toBe(first);
    const rest = three.filter((c) => c.uid !== first);
    expect(rest.map((c) => c.uid)).toContain(balancer.pick(rest, 'c')?.uid);
  });
  test('excluded instances are never picked; nothing left gives undefined', () => {
    const balancer = new Balancer('random', createRandom(3));
    for (let i = 0; i < 50; i++) expect(balancer.pick(three, 'c', new Set([1, 2]))?.uid).toBe(3);
    expect(balancer.pick(three, 'c', new Set([1, 2, 3]))).toBeUndefined();
  });
});

describe('client identity', () => {
  test('session-like cookies first, sorted, others ignored', () => {
    expect(clientKey({ cookie: 'theme=dark; sid=abc; connect.sid=s%3Axyz' }, 9)).toBe(
      'cookie:connect.sid=s%3Axyz;sid=abc',
    );
    expect(sessionCookies('theme=dark; lang=en')).toEqual([]);
  });
  test('the key a client will have once it sends the session cookie a response set', () => {
    expect(
      keyAfterResponse(
        [],
        [
          ['connect.sid', 's%3Aabc'],
          ['theme', 'dark'],
        ],
      ),
    ).toBe(clientKey({ cookie: 'connect.sid=s%3Aabc; theme=dark' }, 1));
    expect(keyAfterResponse([['sid', 'old']], [['sid', 'new']])).toBe('cookie:sid=new');
    expect(keyAfterResponse([], [['theme', 'dark']])).toBeUndefined();
    expect(keyAfterResponse([['sid', 'x']], [['sid', '']])).toBeUndefined();
  });
  test('then Authorization, then the connection', () => {
    expect(clientKey({ authorization: 'Bearer t' }, 9)).toBe('auth:Bearer t');
    expect(clientKey({ cookie: 'theme=dark' }, 9)).toBe('conn:9');
  });
});

describe('headers', () => {
  test('hop-by-hop headers and those named by Connection are stripped; X-Forwarded-* set', () => {
    const out = upstreamHeaders(
      {
        host: 'localhost:5000',
        connection: 'keep-alive, x-secret-hop',
        'keep-alive': 'timeout=5',
        'x-secret-hop': '1',
        te: 'trailers',
        'x-forwarded-for': '10.0.0.1',
        accept: '*/*',
      },
      { clientAddress: '127.0.0.1', proto: 'http', host: 'localhost:5000' },
    );
    expect(out).toEqual({
      host: 'localhost:5000',
      accept: '*/*',
      'x-forwarded-for': '10.0.0.1, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:5000',
    });
  });
  test('upgrade requests keep Upgrade', () => {
    expect(
      upstreamHeaders(
        { upgrade: 'websocket', connection: 'Upgrade' },
        { clientAddress: '::1', proto: 'http', host: undefined },
        true,
      ),
    ).toMatchObject({ upgrade: 'websocket' });
  });
  test('responses lose hop-by-hop headers and name the instance', () => {
    expect(
      clientHeaders({ 'transfer-encoding': 'chunked', connection: 'close', 'set-cookie': ['a=1', 'b=2'] }, 'web.2'),
    ).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'x-amnesia-instance': 'web.2' });
    expect(clientHeaders({ etag: 'x' }, undefined)).toEqual({ etag: 'x' });
  });
});
