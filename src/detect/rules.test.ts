// The cause-level rules, fed recorded event sequences (the shapes the router emits for real apps).
import { describe, expect, test } from 'vitest';

import { EventBus } from '../events/bus.js';
import type { EventOf, InstanceRef } from '../events/types.js';
import { sampleRequest } from '../events/sample-events.js';
import { Detector } from './detector.js';
import type { ProbeResult, Prober } from './context.js';
import { fileKind } from './file-kind.js';
import { cacheHint, objectHint, sessionHint } from './hints.js';
import { pathIds, responseIds } from './ids.js';
import { Redactor } from './redact.js';
import type { Stack } from './stack.js';

const web = (n: number): InstanceRef => ({ name: `web.${n}`, type: 'web', uid: n });
/** a WebSocket frame (or open/close) on instance web.n's connection */
const ws = (n: number, connection: number, direction: 'in' | 'out' | 'open' | 'close'): EventOf<'ws:message'> => ({
  kind: 'ws:message',
  type: 'web',
  instance: web(n),
  connection,
  path: '/',
  direction,
});
const stack = (...names: string[]): Stack => ({ packages: new Set(names), text: '', language: 'node' });
const answer = (status: number, body = ''): ProbeResult => ({
  status,
  body,
  contentType: 'text/plain',
  setCookies: [],
  location: undefined,
});

// A detector whose probes answer from a table: uid -> answer; instances 1..3 are ready unless `gone`.
function detector(answers: Record<number, ProbeResult>, gone: number[] = [], now = { t: 0 }): Detector {
  const prober: Prober = {
    probe: async (_type, uid) => answers[uid],
    alive: (_type, uid) => !gone.includes(uid),
    others: (_type, uid) => [1, 2, 3].filter((n) => n !== uid && !gone.includes(n)).map(web),
  };
  return new Detector({
    mirror: false,
    prober,
    bus: new EventBus(),
    redactor: new Redactor({}),
    stack: stack(),
    now: () => now.t,
  });
}

const request = (n: number, overrides: Partial<EventOf<'request:done'>>): EventOf<'request:done'> =>
  sampleRequest({ instance: web(n), replayHeaders: {}, ...overrides });

describe('ids handed out by responses', () => {
  test('from Location, JSON leaves, HTML links and plain text; not the words of a route', () => {
    expect(responseIds(undefined, undefined, '/files/3f9c0a12')).toEqual(['3f9c0a12']);
    expect(responseIds('application/json', '{"note":{"id":"73fbe418","text":"milk"},"count":2}', undefined)).toEqual([
      '73fbe418',
    ]);
    expect(responseIds('application/json', '{"id":7,"url":"/orders/7/items"}', undefined).sort()).toEqual(['7']);
    expect(responseIds('text/html', '<a href="/invoices/inv_2024_0042">invoice</a>', undefined)).toEqual([
      'inv_2024_0042',
    ]);
    expect(responseIds('text/plain', 'saved your file as 9a8b7c6d5e4f3a2b\n', undefined)).toEqual(['9a8b7c6d5e4f3a2b']);
    // engine.io's handshake: a JSON object behind a packet type digit
    expect(
      responseIds('text/plain; charset=UTF-8', '0{"sid":"Uq7W_A9nPZT5jLwkAAAA","upgrades":["websocket"]}', undefined),
    ).toContain('Uq7W_A9nPZT5jLwkAAAA');
    expect(pathIds('/files/report.txt')).toEqual([]);
  });
});

describe('split state: ask the others', () => {
  test('an id from a JSON body, then a 404 elsewhere: object-lost, held by the instance that still answers 200', async () => {
    const d = detector({ 1: answer(200), 3: answer(404) });
    d.handle(
      request(1, {
        method: 'POST',
        path: '/notes',
        status: 201,
        contentType: 'application/json',
        bodySample: Buffer.from('{"id":"73fbe4184c54"}'),
        replayHeaders: undefined,
      }),
    );
    d.handle(request(2, { path: '/notes/73fbe4184c54', status: 404 }));
    await d.settled();
    const [lost] = d.findings();
    expect([lost?.kind, lost?.route, lost?.heldBy, lost?.state]).toEqual([
      'object-lost',
      'GET /notes/:id',
      'web.1',
      'a created object (73fbe4184c54)',
    ]);
    expect(lost?.evidence).toContain(
      'asked every other instance the same request: web.1 → 200, web.3 → 404: only web.1 still knows it',
    );
  });

  test('no instance knows it and its creator is alive: a real deletion, no finding', async () => {
    const d = detector({ 1: answer(404), 3: answer(404) });
    d.handle(
      request(1, {
        method: 'POST',
        path: '/notes',
        status: 201,
        bodySample: Buffer.from('created n-00042'),
        replayHeaders: undefined,
      }),
    );
    d.handle(request(2, { path: '/notes/n-00042', status: 404 }));
    await d.settled();
    expect(d.findings()).toEqual([]);
  });

  test('restart loss: the holder was restarted in between and nobody knows the session: it died with its pid', async () => {
    const d = detector({ 2: answer(401), 3: answer(401) }, [1]);
    d.handle({ kind: 'instance:spawned', ...web(1), pid: 4242, port: 1, replacing: false });
    d.handle(request(1, { client: 'c', path: '/profile', status: 200, sessionCookies: [['connect.sid', 'a']] }));
    d.handle({ kind: 'restart:started', ...web(1), reason: 'scheduled', signal: 'SIGTERM' });
    d.handle(
      request(2, {
        client: 'c',
        path: '/profile',
        status: 401,
        afterRestart: true,
        sessionCookies: [['connect.sid', 'a']],
      }),
    );
    await d.settled();
    const [lost] = d.findings();
    expect(lost?.kind).toBe('session-lost');
    expect(lost?.evidence.at(-1)).toMatch(
      /^web\.1 \(pid 4242\) was restarted before this request and no instance knows it now \(web\.3 → 401\): the state died with pid 4242$/,
    );
    expect(lost?.heldBy).toBe('web.1 (pid 4242, restarted (scheduled): gone)');
  });

  test('a temp-dir write named after the id explains where the object was', async () => {
    const now = { t: 1000 };
    const d = detector({ 1: answer(200) }, [], now);
    d.handle(
      request(1, {
        method: 'POST',
        path: '/uploads',
        status: 201,
        bodySample: Buffer.from('saved as 9a8b7c6d5e4f'),
        replayHeaders: undefined,
      }),
    );
    now.t = 1003;
    d.handle({ kind: 'tmp:written', instance: web(1), path: 'upload-9a8b7c6d5e4f.bin', change: 'added' });
    d.handle(request(2, { path: '/uploads/9a8b7c6d5e4f', status: 404 }));
    await d.settled();
    expect(d.findings()[0]?.evidence.at(-1)).toBe(
      'where: web.1 wrote $TMPDIR/upload-9a8b7c6d5e4f.bin (3 ms after POST /uploads)',
    );
    expect(d.findings()[0]?.hint).toMatch(/temp dir/);
  });

  test('socket.io: "Session ID unknown" for a sid another instance handed out is a lost socket.io session, never probed', () => {
    let probes = 0;
    const prober: Prober = { probe: async () => (probes++, undefined), alive: () => true, others: () => [web(1)] };
    const d = new Detector({
      mirror: true,
      prober,
      bus: new EventBus(),
      redactor: new Redactor({}),
      stack: stack('socket.io'),
    });
    d.handle(
      request(1, {
        path: '/socket.io/?EIO=4&transport=polling&t=a',
        status: 200,
        contentType: 'text/plain',
        bodySample: Buffer.from('0{"sid":"Uq7W_A9nPZT5jLwkAAAA"}'),
      }),
    );
    d.handle(
      request(2, {
        method: 'POST',
        path: '/socket.io/?EIO=4&transport=polling&sid=Uq7W_A9nPZT5jLwkAAAA',
        status: 400,
        contentType: 'application/json',
        bodySample: Buffer.from('{"code":1,"message":"Session ID unknown"}'),
      }),
    );
    expect(d.findings().map((f) => [f.kind, f.route, f.heldBy])).toEqual([
      ['session-lost', 'POST /socket.io/ (socket.io long polling)', 'web.1'],
    ]);
    expect(probes).toBe(0);
  });
});

describe('session resets and the mirror', () => {
  test('a deleted session cookie (Django\'s sessionid="") is a refusal, not a new session', async () => {
    const d = detector({ 1: answer(200), 3: answer(403) });
    d.handle(request(1, { client: 'c', path: '/me', status: 200, sessionCookies: [['sessionid', 'abc']] }));
    d.handle(
      request(2, {
        client: 'c',
        path: '/me',
        status: 403,
        hop: true,
        sessionCookies: [['sessionid', 'abc']],
        setCookies: [['sessionid', '""']],
      }),
    );
    await d.settled();
    expect(d.findings().map((f) => f.kind)).toEqual(['session-lost']);
    expect(d.findings()[0]?.hint).toMatch(/Django/);
  });

  test('a write that lands while the instances are asked voids that sample: the next mirror still sees the stale copy', async () => {
    // eslint-disable-next-line prefer-const -- the mirror's callback below reads it before it is assigned
    let d: Detector | undefined;
    let price = '10';
    let writeDuringProbe = true;
    const prober: Prober = {
      alive: () => true,
      others: (_type, uid) => [1, 2].filter((n) => n !== uid).map(web),
      probe: async (_type, uid) => {
        // the first mirror's second probe races a PUT that changes what web.1 answers from then on
        if (writeDuringProbe && uid === 2) {
          writeDuringProbe = false;
          price = '11';
          d?.handle(request(1, { method: 'PUT', path: '/prices/a', status: 204, replayHeaders: undefined }));
        }
        return { ...answer(200, JSON.stringify({ price: uid === 1 ? price : '10' })), contentType: 'application/json' };
      },
    };
    d = new Detector({ mirror: true, prober, bus: new EventBus(), redactor: new Redactor({}), stack: stack() });
    d.handle(request(1, { path: '/prices/a', status: 200, durationMs: 1 }));
    await d.settled();
    expect(d.findings()).toEqual([]);
    d.handle(request(1, { path: '/prices/a', status: 200, durationMs: 1 }));
    await d.settled();
    expect(d.findings().map((f) => [f.kind, f.evidence[2]])).toEqual([
      ['divergence', 'last change: PUT /prices/a → 204 web.1; web.2 still answers with its own copy'],
    ]);
  });
});

describe('WebSocket broadcasts', () => {
  // alice and bob join a room, alice speaks: `out` to bob follows alice's `in` when they share an instance
  function room(
    d: Detector,
    aliceOn: number,
    bobOn: number,
    delivered: boolean,
    base: number,
    now: { t: number },
  ): void {
    const [a, b] = [base, base + 1];
    now.t = base * 10;
    d.handle(ws(aliceOn, a, 'in'));
    d.handle(ws(aliceOn, a, 'out'));
    d.handle(ws(bobOn, b, 'in'));
    d.handle(ws(bobOn, b, 'out'));
    now.t += 1;
    d.handle(ws(aliceOn, a, 'in'));
    d.handle(ws(aliceOn, a, 'out'));
    if (delivered) d.handle(ws(bobOn, b, 'out'));
    // bob leaves once he has heard alice, or after waiting for her in vain
    now.t += delivered ? 5 : 1500;
    d.handle(ws(aliceOn, a, 'close'));
    d.handle(ws(bobOn, b, 'close'));
  }

  test('a route that fans out in the control run but never across instances here: broadcast-lost', () => {
    const now = { t: 0 };
    const control = detector({}, [], now);
    room(control, 1, 1, true, 100, now);
    const shuffled = detector({}, [], now);
    room(shuffled, 1, 2, false, 200, now);
    shuffled.finish(control.broadcastProfile());
    expect(shuffled.findings().map((f) => [f.kind, f.instances])).toEqual([['broadcast-lost', ['web.1', 'web.2']]]);
  });

  test('messages that cross instances (Redis pub/sub) are no finding, nor is a route that never fans out', () => {
    const now = { t: 0 };
    const control = detector({}, [], now);
    room(control, 1, 1, true, 100, now);
    const shared = detector({}, [], now);
    room(shared, 1, 2, true, 200, now);
    shared.finish(control.broadcastProfile());
    expect(shared.findings()).toEqual([]);
    const echo = detector({}, [], now);
    room(echo, 1, 1, false, 300, now);
    const lonely = detector({}, [], now);
    room(lonely, 1, 2, false, 400, now);
    lonely.finish(echo.broadcastProfile());
    expect(lonely.findings()).toEqual([]);
  });

  test("a reply to a connection's own message that comes after another's message is still its reply, not a delivery", () => {
    const now = { t: 0 };
    const control = detector({}, [], now);
    room(control, 1, 1, true, 100, now);
    const shuffled = detector({}, [], now);
    for (const round of [200, 300]) {
      now.t = round * 10;
      const [alice, bob] = [round, round + 1];
      shuffled.handle(ws(1, alice, 'in'));
      shuffled.handle(ws(1, alice, 'out'));
      shuffled.handle(ws(2, bob, 'in'));
      // alice speaks before bob's "joined" comes back: that answer is bob's, not alice's message reaching bob
      shuffled.handle(ws(1, alice, 'in'));
      shuffled.handle(ws(2, bob, 'out'));
      shuffled.handle(ws(1, alice, 'out'));
      now.t += 1500;
      shuffled.handle(ws(1, alice, 'close'));
      shuffled.handle(ws(2, bob, 'close'));
    }
    shuffled.finish(control.broadcastProfile());
    expect(shuffled.findings().map((f) => f.kind)).toEqual(['broadcast-lost']);
  });
});

describe('WebSocket broadcasts: peers that do not count', () => {
  /** frames on web.n's connections, in order */
  const frames = (d: Detector, n: number, list: ReadonlyArray<readonly [number, 'in' | 'out' | 'close']>): void => {
    for (const [connection, direction] of list) d.handle(ws(n, connection, direction));
  };
  // two connections on web.1: each joins, then the first speaks and the second hears it
  const TALK = [
    [1, 'in'],
    [1, 'out'],
    [2, 'in'],
    [2, 'out'],
    [1, 'in'],
    [1, 'out'],
    [2, 'out'],
  ] as const;
  const fansOut = (now: { t: number }): Detector => {
    const control = detector({}, [], now);
    frames(control, 1, TALK);
    return control;
  };

  test('a connection idle on another instance (another room, or a conversation over) is no missed delivery', () => {
    const now = { t: 0 };
    const control = fansOut(now);
    const shuffled = detector({}, [], now);
    // web.2's connection spoke long ago and stays open; the room on web.1 talks among itself
    frames(shuffled, 2, [
      [9, 'in'],
      [9, 'out'],
    ]);
    now.t = 5000;
    frames(
      shuffled,
      1,
      TALK.map(([c, d]) => [c + 2, d] as const),
    );
    shuffled.finish(control.broadcastProfile());
    expect(shuffled.findings()).toEqual([]);
  });

  test('peers on another instance that close right after a message (the last round leaving) are owed nothing', () => {
    const now = { t: 0 };
    const control = fansOut(now);
    const shuffled = detector({}, [], now);
    // the last round, on web.2, says goodbye while the next one, on web.1, starts talking
    frames(shuffled, 2, [
      [8, 'in'],
      [9, 'in'],
    ]);
    now.t = 10;
    frames(
      shuffled,
      1,
      TALK.slice(0, 5).map(([c, d]) => [c + 2, d] as const),
    );
    now.t = 50;
    frames(shuffled, 2, [
      [8, 'close'],
      [9, 'close'],
    ]);
    frames(shuffled, 1, [
      [3, 'out'],
      [4, 'out'],
    ]);
    shuffled.finish(control.broadcastProfile());
    expect(shuffled.findings()).toEqual([]);
  });
});

describe('local files', () => {
  test('file kinds: databases, logs, sessions, caches, uploads', () => {
    expect(
      [
        'db/notes.sqlite3',
        'notes.db-journal',
        'log/development.log',
        'app.log.1',
        'flask_session/2029f',
        'tmp/cache/x',
        'uploads/a.png',
      ].map(fileKind),
    ).toEqual(['database', 'database', 'log', 'log', 'session', 'cache', 'upload']);
  });

  test('a gitignored log is an advisory log-file finding, a gitignored upload still a local-write, a pid file none', async () => {
    const d = detector({});
    d.handle({ kind: 'file:written', path: 'log/development.log', change: 'changed', gitignored: true });
    d.handle({ kind: 'file:written', path: 'tmp/pids/server.pid', change: 'added', gitignored: true });
    d.handle({ kind: 'file:written', path: 'uploads/a.png', change: 'added', gitignored: true });
    await d.settled();
    expect(d.findings().map((f) => [f.kind, f.advisory ?? false])).toEqual([
      ['log-file', true],
      ['local-write', false],
    ]);
  });

  test('a SQLite file gets the database fix, not the uploads one', async () => {
    const d = detector({});
    d.handle({ kind: 'file:written', path: 'notes.db', change: 'changed', gitignored: false });
    await d.settled();
    expect(d.findings()[0]?.hint).toMatch(/database server/);
    expect(d.findings()[0]?.state).toBe('SQLite database');
  });
});

describe('fixes by mechanism and library', () => {
  test('session fixes follow the cookie name and the manifest', () => {
    const none = stack();
    expect(sessionHint(none, ['connect.sid'], false)).toMatch(/express-session.*MemoryStore.*connect-redis/);
    expect(sessionHint(stack('express-session', 'connect-redis'), ['connect.sid'], false)).toMatch(
      /not shared by every instance/,
    );
    expect(sessionHint(none, ['sessionid'], false)).toMatch(/Django/);
    expect(sessionHint(none, ['_shop_session'], false)).toMatch(/Rails/);
    expect(sessionHint(none, ['PHPSESSID'], false)).toMatch(/session\.save_handler/);
    expect(sessionHint(none, ['JSESSIONID'], false)).toMatch(/Spring Session/);
    expect(sessionHint(none, ['laravel_session'], false)).toMatch(/SESSION_DRIVER/);
    expect(sessionHint(none, [], true)).toMatch(/Authorization/);
    expect(sessionHint(stack('flask-session'), ['session'], false)).toMatch(/SESSION_TYPE = 'redis'/);
  });

  test('object and cache fixes name the library', () => {
    expect(objectHint(stack('multer'), false)).toMatch(/multer-s3/);
    expect(cacheHint(stack('node-cache'))).toMatch(/node-cache/);
    expect(cacheHint(stack('flask-caching'))).toMatch(/RedisCache/);
  });
});
