import { gzipSync } from 'node:zlib';

import { describe, expect, test } from 'vitest';

import { createRandom } from '../random.js';
import { entryJson } from './entry.js';
import type { Exchange } from './exchange.js';
import type { AmnesiaMarks, HarEntry } from './har.js';

const exchange = (over: Partial<Exchange> = {}): Exchange => ({
  ...{ startedMs: Date.parse('2026-12-06T10:00:00.250Z') + 0.75, timeMs: 1.23456, method: 'GET', path: '/notes' },
  ...{ host: 'localhost:5000', httpVersion: '1.1', requestHeaders: ['Host', 'localhost:5000'] },
  ...{ requestBody: undefined, requestBodyCut: false, status: 200, statusText: 'OK' },
  ...{ responseHeaders: { 'content-type': 'text/plain' }, responseBody: [Buffer.from('hello')], responseSize: 5 },
  ...{ connection: 3, marks: { type: 'web', instance: 'web.1', hop: false, afterRestart: false, retried: false } },
  ...over,
});
const entry = (x: Exchange): HarEntry => JSON.parse(entryJson(x)) as HarEntry;

test('a plain exchange as HAR 1.2, with amnesia marks', () => {
  expect(entry(exchange())).toEqual({
    startedDateTime: '2026-12-06T10:00:00.250Z',
    time: 1.235,
    request: {
      ...{ method: 'GET', url: 'http://localhost:5000/notes', httpVersion: 'HTTP/1.1', cookies: [] },
      ...{ headers: [{ name: 'Host', value: 'localhost:5000' }], queryString: [], headersSize: -1, bodySize: 0 },
    },
    response: {
      ...{ status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', cookies: [] },
      headers: [{ name: 'content-type', value: 'text/plain' }],
      content: { size: 5, mimeType: 'text/plain', text: 'hello' },
      ...{ redirectURL: '', headersSize: -1, bodySize: 5 },
    },
    cache: {},
    timings: { send: 0, wait: 1.235, receive: 0 },
    connection: '3',
    _amnesia: { type: 'web', instance: 'web.1', hop: false, afterRestart: false, retried: false },
  });
});

test('cookies, query, Location, repeated headers and a form body', () => {
  const e = entry(
    exchange({
      method: 'POST',
      path: '/login?next=%2Fcart&x=1&x=2',
      requestHeaders: [
        'Host',
        'h',
        'COOKIE',
        ' sid=abc ; theme=dark',
        'Content-Type',
        'application/x-www-form-urlencoded',
      ],
      requestBody: Buffer.from('user=ann&csrf=t%2B1'),
      status: 302,
      statusText: 'Found',
      responseHeaders: { location: '/cart', 'set-cookie': ['sid=new; HttpOnly', 'flash=; Max-Age=0'] },
      responseBody: [],
      responseSize: 0,
    }),
  );
  expect(e.request.cookies).toEqual([
    { name: 'sid', value: 'abc' },
    { name: 'theme', value: 'dark' },
  ]);
  expect(e.request.queryString).toEqual([
    { name: 'next', value: '/cart' },
    { name: 'x', value: '1' },
    { name: 'x', value: '2' },
  ]);
  expect(e.request.postData).toEqual({
    mimeType: 'application/x-www-form-urlencoded',
    text: 'user=ann&csrf=t%2B1',
    params: [
      { name: 'user', value: 'ann' },
      { name: 'csrf', value: 't+1' },
    ],
  });
  expect(e.request.bodySize).toBe(19);
  expect(entry(exchange({ path: '/a b"c' })).request.url).toBe('http://localhost:5000/a%20b%22c');
  expect(e.response.redirectURL).toBe('/cart');
  expect(e.response.cookies).toEqual([
    { name: 'sid', value: 'new' },
    { name: 'flash', value: '' },
  ]);
  expect(e.response.headers.filter((h) => h.name === 'set-cookie').map((h) => h.value)).toEqual([
    'sid=new; HttpOnly',
    'flash=; Max-Age=0',
  ]);
  expect(e.response.content).toEqual({ size: 0, mimeType: '' });
});

describe('bodies', () => {
  test('gzip undone; bytes that are not UTF-8 in base64; a cut body as sent, said in a comment', () => {
    const gz = gzipSync('{"id":1}');
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const plain = entry(exchange({ responseHeaders: headers, responseBody: [gz], responseSize: gz.length }));
    expect(plain.response.content).toEqual({ size: 8, mimeType: 'application/json', text: '{"id":1}' });
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    const binary = entry(exchange({ responseBody: [bytes], responseSize: 3 }));
    expect(binary.response.content).toMatchObject({ text: '/wD+', encoding: 'base64' });
    const cut = entry(exchange({ responseBody: [Buffer.from('ab'), Buffer.from('c')], responseSize: 5_000_000 }));
    expect(cut.response.content).toMatchObject({ size: 5_000_000, text: 'abc' });
    expect(cut.response.content.comment).toContain('recording limit');
    const streamed = entry(exchange({ method: 'PUT', requestBody: undefined, requestBodyCut: true }));
    expect(streamed.request.bodySize).toBe(-1);
    expect(streamed.request.postData?.comment).toContain('not recorded');
  });

  test('text that holds U+FFFD itself is still text', () => {
    const e = entry(exchange({ responseBody: [Buffer.from('a\uFFFDb')], responseSize: 5 }));
    expect(e.response.content).toMatchObject({ text: 'a\uFFFDb' });
    expect(e.response.content.encoding).toBeUndefined();
  });
});

test('every mark, and a WebSocket connection with its messages', () => {
  const marks: Required<AmnesiaMarks> = {
    ...{ type: 'web', instance: 'web.2', hop: true, afterRestart: true, retried: true },
    ...{ error: 'instance closed "the" connection', requestBodyCut: true, closedAt: 1765015200123 },
  };
  const messages = [{ type: 'send' as const, time: 1765015200.5, opcode: 1, data: '{"t":"hi\\n"}' }];
  const e = entry(exchange({ marks, webSocket: { messages, dropped: 0 } }));
  expect(e._amnesia).toEqual(marks);
  expect(e._resourceType).toBe('websocket');
  expect(e._webSocketMessages).toEqual(messages);
  expect(entry(exchange({ marks: { ...marks, instance: undefined } }))._amnesia).not.toHaveProperty('instance');
});

test('startedDateTime is the ISO time of the start, at any millisecond and across seconds', () => {
  const random = createRandom(7);
  const base = Date.parse('2026-12-31T23:59:58Z');
  for (let i = 0; i < 2000; i++) {
    const ms = base + random.next() * 4000 + (i % 7 === 0 ? -1e12 : 0);
    expect(entry(exchange({ startedMs: ms })).startedDateTime).toBe(new Date(ms).toISOString());
  }
});

test('time is the duration to the microsecond, short or long, whole or not', () => {
  const random = createRandom(11);
  const durations = [
    0,
    0.0004,
    0.0005,
    1,
    1.2,
    999.9996,
    1e6 + 0.25,
    ...Array.from({ length: 2000 }, () => random.next() * 10 ** (random.next() * 7)),
  ];
  for (const timeMs of durations) {
    const e = entry(exchange({ timeMs }));
    expect(e.time).toBe(Math.round(timeMs * 1000) / 1000);
    expect(e.timings.wait).toBe(e.time);
  }
  expect(entry(exchange({ timeMs: NaN })).time).toBeNull();
});

// Strings the writer quotes by hand must come back as they went in: quotes, backslashes, control
// characters, non-ASCII, surrogate pairs and lone surrogates, in every field that carries the client's text.
test('any text survives, in every field written by hand', () => {
  const random = createRandom(42);
  const alphabet = [
    'a',
    'Z',
    '0',
    ' ',
    '"',
    '\\',
    '\n',
    '\t',
    '\u0000',
    '\u001f',
    'é',
    '€',
    '😀',
    '\ud800',
    '\udc00',
    '/',
  ];
  // a request's path as a client would send it: percent-encoded UTF-8 (a lone surrogate cannot be)
  const encoded = (s: string): string => encodeURIComponent(Buffer.from(s).toString());
  const text = (): string =>
    Array.from({ length: random.int(12) }, () => alphabet[random.int(alphabet.length)] ?? '').join('');
  for (let i = 0; i < 300; i++) {
    const [name, value, status, body, error] = [text(), text(), text(), `{"v":"${text()}"}`, text()];
    const x = exchange({
      method: text(),
      path: `/${encoded(text())}?q=${encoded(text())}`,
      requestHeaders: [name, value, 'Cookie', `k=${value}`],
      statusText: status,
      responseHeaders: { [name]: value, location: value },
      responseBody: [Buffer.from(body)],
      responseSize: Buffer.byteLength(body),
      marks: { type: text(), instance: text(), hop: false, afterRestart: false, retried: false, error },
    });
    const e = entry(x);
    expect(e.request.method).toBe(x.method);
    expect(e.request.headers[0]).toEqual({ name, value });
    expect(e.request.queryString).toEqual(
      [...new URLSearchParams(x.path.split('?')[1])].map(([n, v]) => ({ name: n, value: v })),
    );
    expect(e.response.statusText).toBe(status);
    expect(e.response.headers[0]).toEqual({ name, value });
    expect(e.response.redirectURL).toBe(value);
    expect(e.response.content.text).toBe(Buffer.from(body).toString('utf8'));
    expect(e._amnesia).toEqual(x.marks);
  }
});
