import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import type { HarEntry } from '../har/har.js';
import { BindingFinder, carried, sources, substitute } from './bindings.js';
import { compareRuns, divergenceFinding } from './compare.js';
import { planReplay, responseText, splitClients } from './plan.js';
import { readHar } from './read-har.js';
import { replay, type Answer } from './replayer.js';
import { FakeClock } from '../../test/fakes/clock.js';
import { Pacer, timeline } from './timeline.js';

let clock = Date.parse('2026-12-01T10:00:00.000Z');
function entry(
  method: string,
  url: string,
  o: { cookie?: string; setCookie?: string; connection?: string; status?: number; text?: string; time?: number } = {},
): HarEntry {
  const started = clock;
  clock += 10;
  return {
    startedDateTime: new Date(started).toISOString(),
    time: o.time ?? 5,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: o.cookie ? [{ name: 'Cookie', value: o.cookie }] : [],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: o.status ?? 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: o.setCookie ? [{ name: o.setCookie.split('=')[0]!, value: o.setCookie.split('=')[1]! }] : [],
      headers: [],
      content: { size: 0, mimeType: 'text/html', ...(o.text ? { text: o.text } : {}) },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 5, receive: 0 },
    ...(o.connection ? { connection: o.connection } : {}),
  };
}

describe('client splitting', () => {
  test('a login without a cookie and the requests that carry the cookie it set are one client; another session is another', () => {
    const entries = [
      entry('POST', 'http://app/login', { setCookie: 'sid=aaa', connection: '1' }),
      entry('POST', 'http://app/login', { setCookie: 'sid=bbb', connection: '1' }),
      entry('GET', 'http://app/cart', { cookie: 'sid=bbb', connection: '1' }),
      entry('GET', 'http://app/cart', { cookie: 'theme=dark; sid=aaa', connection: '2' }),
      // a session id rotated on privilege change stays with its client
      entry('POST', 'http://app/sudo', { cookie: 'sid=aaa', setCookie: 'sid=ccc', connection: '2' }),
      entry('GET', 'http://app/admin', { cookie: 'sid=ccc', connection: '3' }),
    ];
    expect(splitClients(entries)).toEqual([0, 1, 1, 0, 0, 0]);
  });

  test('requests with no identity go with their connection', () => {
    const entries = [
      entry('GET', 'http://app/a', { connection: '7' }),
      entry('GET', 'http://app/b', { connection: '8' }),
      entry('GET', 'http://app/c', { connection: '7' }),
    ];
    expect(splitClients(entries)).toEqual([0, 1, 0]);
  });

  test('other hosts (a CDN, analytics) and --replay-skip paths are left out and counted; the app is where the page came from', () => {
    const page = entry('GET', 'http://localhost:5000/');
    page._resourceType = 'document';
    const entries = [
      entry('GET', 'https://cdn.example.com/lib.js'),
      page,
      entry('GET', 'http://localhost:5000/static/app.css'),
      entry('GET', 'https://analytics.example.com/hit'),
      entry('GET', 'https://analytics.example.com/hit'),
      entry('GET', 'http://localhost:5000/api/items', { status: 0 }),
    ];
    const plan = planReplay(entries, ['/static/**']);
    expect(plan.origin).toBe('http://localhost:5000');
    expect(plan.steps.map((s) => s.path)).toEqual(['/']);
    expect(plan.skipped).toEqual({ otherHosts: 3, globs: 1, unanswered: 1 });
  });
});

describe('binding dynamic values', () => {
  test('a CSRF token from a hidden field is replaced in the form post by the one the live page carried', () => {
    const form = '<form><input type="hidden" name="_csrf" value="tok3n-AAAA1111"><input name="title"></form>';
    const finder = new BindingFinder();
    finder.response(0, 0, { headers: [], text: form });
    const body = Buffer.from('title=hello&_csrf=tok3n-AAAA1111');
    const bindings = finder.request(0, carried('/notes', [], body));
    expect(bindings).toEqual([{ value: 'tok3n-AAAA1111', source: 0, locator: 'f:_csrf:0' }]);
    const live = sources({ headers: [], text: form.replace('tok3n-AAAA1111', 'fresh-BBBB2222') });
    const swapped = substitute({ path: '/notes', headers: [], body }, [['tok3n-AAAA1111', live.get('f:_csrf:0')!]]);
    expect(swapped.body?.toString()).toBe('title=hello&_csrf=fresh-BBBB2222');
  });

  test('an id from a JSON body, a Location header or an engine.io handshake goes into a later path, query or header', () => {
    const finder = new BindingFinder();
    finder.response(0, 0, { headers: [], text: '{"note":{"id":"9f1c2e7a-5b1d-4c1e-9a1f-0c2b3d4e5f60"}}' });
    finder.response(1, 0, { headers: [{ name: 'Location', value: '/files/f1le42xyz' }], text: '' });
    finder.response(2, 0, { headers: [], text: '0{"sid":"Zk3xQ9_aBcD-12","pingInterval":25000}' });
    const path = '/notes/9f1c2e7a-5b1d-4c1e-9a1f-0c2b3d4e5f60?file=f1le42xyz';
    const found = finder.request(0, carried(path, [['x-sid', 'Zk3xQ9_aBcD-12']], undefined));
    expect(found.map((b) => [b.source, b.locator])).toEqual([
      [0, 'j:$.note.id'],
      [1, 'h:location:0'],
      [2, 'j:$.sid'],
    ]);
  });

  test('words and small numbers are not bound: they are the same on every run', () => {
    const finder = new BindingFinder();
    finder.response(0, 0, { headers: [], text: '{"id":7,"status":"created","user":"ada"}' });
    expect(finder.request(0, carried('/notes/7?status=created&user=ada', [], undefined))).toEqual([]);
  });

  test("a value another client was given is bound to that client's response only when the client has none of its own", () => {
    const finder = new BindingFinder();
    finder.response(0, 0, { headers: [], text: '{"token":"client0-token-123"}' });
    finder.response(1, 1, { headers: [], text: '{"token":"client0-token-123"}' });
    expect(finder.request(1, new Set(['client0-token-123']))[0]?.source).toBe(1);
    expect(finder.request(2, new Set(['client0-token-123']))[0]?.source).toBe(1);
  });
});

describe('the replay timeline', () => {
  test('a request that started after another ended waits for it, even within the same millisecond; a long poll does not block', () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z');
    const poll = entry('GET', 'http://app/poll', { time: 100 });
    const post = entry('POST', 'http://app/send', { time: 0.4 });
    const after = entry('GET', 'http://app/next', { time: 1 });
    after.startedDateTime = new Date(Date.parse(post.startedDateTime)).toISOString();
    const plan = planReplay([poll, post, after], []);
    const order = timeline(plan).map((e) => `${e.kind} ${e.step.path}`);
    expect(order.indexOf('done /send')).toBeLessThan(order.indexOf('start /next'));
    expect(order.indexOf('start /send')).toBeLessThan(order.indexOf('done /poll'));
  });
});

test("a socket's reply recorded in the same millisecond as its question is waited for after the question is sent", () => {
  clock = Date.parse('2026-12-01T10:00:00.000Z');
  const socket = entry('GET', 'http://app/ws', { status: 101 });
  const at = clock / 1000;
  socket._webSocketMessages = [
    { type: 'send', time: at + 0.0101, opcode: 1, data: '{"join":"r"}' },
    { type: 'receive', time: at + 0.0104, opcode: 1, data: '{"joined":"r"}' },
  ];
  const order = timeline(planReplay([socket], [])).map((e) => e.kind);
  expect(order).toEqual(['start', 'done', 'send', 'receive']);
});

test('the pacer keeps recorded think time, capped, counted from when the event before it happened on replay', async () => {
  clock = Date.parse('2026-12-01T10:00:00.000Z');
  const first = entry('GET', 'http://app/a', { time: 5 });
  clock += 300;
  const second = entry('GET', 'http://app/b', { time: 5 });
  clock += 60_000;
  const third = entry('GET', 'http://app/c', { time: 5 });
  const fake = new FakeClock(0);
  const pacer = new Pacer(fake, 1000);
  const startedAt: number[] = [];
  for (const event of timeline(planReplay([first, second, third], []))) {
    let due = false;
    void pacer.due(event).then(() => (due = true));
    await fake.until(() => due, 600_000, 1);
    // the first answer takes 50 ms on replay: the 305 ms the recording waited after it are kept on top
    if (event.kind === 'done' && event.step.index === 0) await fake.advance(50);
    if (event.kind === 'start') startedAt.push(fake.now());
    pacer.passed();
  }
  expect(startedAt).toEqual([0, 50 + 305, 50 + 305 + 1000]);
});

test('an answer that never comes holds up the requests after it only a little, and is an error at the end', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url === '/next') res.end('next');
    // /poll: never answered, as a long poll the live app keeps open
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  try {
    clock = Date.parse('2026-12-01T10:00:00.000Z');
    const plan = planReplay([entry('GET', 'http://app/poll', { time: 5 }), entry('GET', 'http://app/next')], []);
    const answers: Answer[] = [];
    const onAnswer = (i: number, a: Answer): void => void (answers[i] = a);
    await replay(plan, [], `http://127.0.0.1:${port}`, { receiveWaitMs: 0, gapCapMs: 0, lateMs: 100, onAnswer });
    expect(answers[1]?.status).toBe(200);
    expect(answers[0]?.status).toBe(0);
    expect(answers[0]?.error).toBeTruthy();
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

describe('the three-way comparison', () => {
  const answer = (status: number, text: string): Answer => ({
    status,
    headers: [{ name: 'content-type', value: 'application/json' }],
    text,
    instance: 'web.2',
  });

  test('fields that differ between the two controls are noise; others that differ in the shuffled run are divergences', () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z');
    const plan = planReplay([entry('GET', 'http://app/cart'), entry('GET', 'http://app/time')], []);
    const a = [answer(200, '{"items":["tea"],"at":1}'), answer(200, '{"now":"10:00:01"}')];
    const b = [answer(200, '{"items":["tea"],"at":2}'), answer(200, '{"now":"10:00:02"}')];
    const s = [answer(200, '{"items":[],"at":3}'), answer(200, '{"now":"10:00:03"}')];
    const diverged = compareRuns(plan, a, b, s);
    expect(diverged.map((d) => [d.step.path, d.keys])).toEqual([['/cart', ['$.items[0]']]]);
  });

  test('a status the shuffled run alone answers differently diverges; when the controls disagree on it, it does not', () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z');
    const plan = planReplay([entry('GET', 'http://app/profile')], []);
    const ok = answer(200, '{"user":"ada"}');
    const denied = answer(401, '{"error":"not logged in"}');
    expect(compareRuns(plan, [ok], [ok], [denied])[0]?.keys).toContain('status');
    expect(compareRuns(plan, [ok], [denied], [denied])).toEqual([]);
  });
});

test('a divergence names the request as the shuffled run sent it, with the live id, and the recorded path beside it', () => {
  clock = Date.parse('2026-12-01T10:00:00.000Z');
  const plan = planReplay([entry('GET', 'http://app/notes/rec0rded-1d')], []);
  const found = (instance: string, status: number, sent: string): Answer => ({
    status,
    headers: [{ name: 'content-type', value: 'application/json' }],
    text: status === 200 ? '{"text":"milk"}' : '{"error":"no such note"}',
    instance,
    sent,
  });
  const a = [found('web.1', 200, '/notes/l1ve-a')];
  const b = [found('web.1', 200, '/notes/l1ve-b')];
  const s = [found('web.3', 404, '/notes/l1ve-s')];
  const [d] = compareRuns(plan, a, b, s);
  const evidence = divergenceFinding(d!, plan, 'web', (t) => t, 'hint').evidence;
  expect(evidence[0]).toBe(
    'request 1 of 1 in the recording, client 1: GET /notes/l1ve-s (recorded as /notes/rec0rded-1d)',
  );
});

describe('HAR files as browsers and Playwright write them (fixtures written by hand from the HAR 1.2 spec)', () => {
  const fixture = (name: string): string => join(import.meta.dirname, '../../test/fixtures/har', name);

  test("Chrome DevTools: the page's origin is the app, the CDN is left out, the WebSocket keeps its messages and its cookie", () => {
    const plan = planReplay(readHar(fixture('chrome.har'), 'chrome.har'), []);
    expect(plan.origin).toBe('http://localhost:5000');
    expect(plan.skipped.otherHosts).toBe(1);
    expect(plan.steps.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /login', 'POST /login', 'GET /chat/socket']);
    expect(new Set(plan.steps.map((s) => s.client)).size).toBe(1);
    const socket = plan.steps[2]!;
    expect(socket.ws?.events.map((e) => e.type)).toEqual(['send', 'receive', 'receive']);
    // the jar sends cookies, the connection its own handshake headers
    expect(socket.headers.map(([name]) => name.toLowerCase())).toEqual([]);
    const finder = new BindingFinder();
    finder.learn(0, 0, plan.steps[0]!.given!);
    const post = plan.steps[1]!;
    expect(finder.request(0, carried(post.path, post.headers, post.body)).map((b) => b.locator)).toEqual([
      'f:csrf_token:0',
    ]);
  });

  test('Playwright with attached bodies: the side file is read, and the id it holds binds the next request', () => {
    const entries = readHar(fixture('playwright.har'), 'playwright.har');
    expect(JSON.parse(responseText(entries[0]!) ?? '')).toEqual({ id: 'n0te-7f3a9c', text: 'milk' });
    const plan = planReplay(entries, []);
    const finder = new BindingFinder();
    finder.learn(0, 0, plan.steps[0]!.given!);
    expect(finder.request(0, carried(plan.steps[1]!.path, [], undefined))).toEqual([
      { value: 'n0te-7f3a9c', source: 0, locator: 'j:$.id' },
    ]);
  });

  test('Firefox: a base64 body is read as text, a request that never got an answer is left out, Authorization names the client', () => {
    const entries = readHar(fixture('firefox.har'), 'firefox.har');
    const plan = planReplay(entries, []);
    expect(plan.steps).toHaveLength(1);
    expect(plan.skipped.unanswered).toBe(1);
    expect(entries.map(responseText)).toContain('{"user":"ada"}');
  });

  test('a file that is not HAR says where', () => {
    expect(() => readHar(fixture('note-created.json'), 'note-created.json')).toThrow(/no log\.entries list/);
  });
});
