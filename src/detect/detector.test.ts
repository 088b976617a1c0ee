import { describe, expect, test } from 'vitest';

import { EventBus } from '../events/bus.js';
import type { RunEvent } from '../events/types.js';
import { Detector, type ProbeResult, type Prober } from './detector.js';
import { Redactor } from './redact.js';

type Request = Extract<RunEvent, { kind: 'request:done' }>;

const instance = (n: number) => ({ name: `web.${n}`, type: 'web', uid: n });
function request(n: number, status: number, extra: Partial<Request> = {}): Request {
  return {
    kind: 'request:done',
    type: 'web',
    instance: instance(n),
    client: 'cookie:sid=1',
    method: 'GET',
    path: '/profile',
    status,
    durationMs: 1,
    hop: false,
    afterRestart: false,
    retried: false,
    error: undefined,
    sessionCookies: [['sid', 'one']],
    authorization: false,
    setCookies: [],
    location: undefined,
    contentType: undefined,
    bodySample: undefined,
    replayHeaders: { cookie: 'sid=one' },
    ...extra,
  };
}

function detector(answers: Record<number, ProbeResult | undefined>, alive = true, mirror = false): Detector {
  const prober: Prober = {
    probe: async (_type, uid) => answers[uid],
    alive: () => alive,
    others: (_type, uid) => [1, 2, 3].filter((n) => n !== uid && answers[n] !== undefined).map(instance),
  };
  return new Detector({ mirror, prober, bus: new EventBus(), redactor: new Redactor({}) });
}

const ok = (body = '{"user":"ada"}', setCookies: Array<[string, string]> = []): ProbeResult => ({
  status: 200,
  body,
  contentType: 'application/json',
  setCookies,
  location: undefined,
});

describe('Detector', () => {
  test('session-lost: 200 on one instance, 401 on the next, confirmed by asking the first again', async () => {
    const d = detector({ 1: ok() });
    d.handle(request(1, 200));
    d.handle(request(2, 401, { hop: true }));
    await d.settled();
    expect(d.findings().map((f) => [f.kind, f.route, f.instances])).toEqual([
      ['session-lost', 'GET /profile', ['web.1', 'web.2']],
    ]);
    expect(d.findings()[0]?.evidence.at(-1)).toBe(
      'asked every other instance the same request: web.1 → 200: only web.1 still knows it',
    );
    expect(d.findings()[0]?.heldBy).toBe('web.1');
  });

  test('no finding when the first instance refuses the same request too (a real logout, not lost state)', async () => {
    const d = detector({ 1: { ...ok(), status: 401 } });
    d.handle(request(1, 200));
    d.handle(request(2, 401, { hop: true }));
    await d.settled();
    expect(d.findings()).toEqual([]);
  });

  test('no finding for a 401 without credentials, or for a 404 on a path that never existed', async () => {
    const d = detector({ 1: ok() });
    d.handle(request(1, 200, { sessionCookies: [] }));
    d.handle(request(2, 401, { sessionCookies: [], hop: true }));
    d.handle(request(1, 200, { client: 'b', path: '/' }));
    d.handle(request(2, 404, { client: 'b', path: '/favicon.ico', hop: true }));
    await d.settled();
    expect(d.findings()).toEqual([]);
  });

  test('a 404 after a hop for a path a PUT created: lost, with the missing-resource hint', async () => {
    const d = detector({ 1: ok('data') }, true);
    d.handle(request(1, 201, { method: 'PUT', path: '/files/a.txt', replayHeaders: undefined }));
    d.handle(request(2, 404, { path: '/files/a.txt', hop: true }));
    await d.settled();
    expect(d.findings().map((f) => [f.kind, f.state, f.evidence[0]])).toEqual([
      ['object-lost', 'a created object', 'created by: PUT /files/a.txt (cookie: sid=<3 chars>) → 201 from web.1'],
    ]);
    expect(d.findings()[0]?.hint).toMatch(/exists on one instance only/);
  });

  test('session-reset: the new instance replaces the session cookie, the old one would not', async () => {
    const d = detector({ 1: ok() });
    d.handle(request(1, 200));
    d.handle(request(2, 200, { hop: true, setCookies: [['sid', 'two']] }));
    await d.settled();
    expect(d.findings().map((f) => f.kind)).toEqual(['session-reset']);
  });

  test('no session-reset when every instance rotates the cookie (cookie-session re-signing its data)', async () => {
    const d = detector({ 1: ok('{}', [['sid', 'three']]) });
    d.handle(request(1, 200));
    d.handle(request(2, 200, { hop: true, setCookies: [['sid', 'two']] }));
    await d.settled();
    expect(d.findings()).toEqual([]);
  });

  test('after a restart (the old instance gone), only server-side session id cookies count as a reset', async () => {
    const gone = detector({}, false);
    gone.handle(request(1, 200, { sessionCookies: [['session', 'a']] }));
    gone.handle(
      request(2, 200, { afterRestart: true, sessionCookies: [['session', 'a']], setCookies: [['session', 'b']] }),
    );
    gone.handle(request(1, 200, { client: 'c', sessionCookies: [['connect.sid', 'x']] }));
    gone.handle(
      request(2, 200, {
        client: 'c',
        afterRestart: true,
        sessionCookies: [['connect.sid', 'x']],
        setCookies: [['connect.sid', 'y']],
      }),
    );
    await gone.settled();
    expect(gone.findings().map((f) => [f.kind, f.evidence[1]])).toEqual([
      [
        'session-reset',
        'then after web.1 was restarted: GET /profile (cookie: connect.sid=<1 chars>) → 200 set-cookie: connect.sid=<1 chars> from web.2 (a new connect.sid)',
      ],
    ]);
  });

  test('a crash is a finding', () => {
    const d = detector({});
    d.handle({
      kind: 'instance:exited',
      name: 'worker.1',
      type: 'worker',
      uid: 9,
      pid: 42,
      code: 1,
      signal: null,
      state: 'crashed',
      restartInMs: 1000,
      killedAfterMs: undefined,
    });
    expect(d.findings().map((f) => [f.kind, f.instances])).toEqual([['crash', ['worker.1']]]);
  });

  test('mirror: a field that differs across instances but not within one is divergence; noise is not', async () => {
    let calls = 0;
    const answers = (uid: number): ProbeResult => {
      calls++;
      return ok(JSON.stringify({ price: uid === 1 ? 10 : 12, at: calls }));
    };
    const prober: Prober = { probe: async (_t, uid) => answers(uid), alive: () => true, others: () => [instance(2)] };
    const d = new Detector({ mirror: true, prober, bus: new EventBus(), redactor: new Redactor({}) });
    d.handle(request(1, 200, { path: '/prices/a', sessionCookies: [] }));
    await d.settled();
    expect(d.findings().map((f) => [f.kind, f.route, f.evidence[1]])).toEqual([
      ['divergence', 'GET /prices/a', 'fields above the noise: $.price'],
    ]);
  });
});
