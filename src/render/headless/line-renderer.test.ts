import { describe, expect, test } from 'vitest';

import { sampleRequest, sampleStarting } from '../../events/sample-events.js';
import type { RunEvent } from '../../events/types.js';
import { LineRenderer } from './line-renderer.js';
import { prefixLines } from './prefix-lines.js';

const at = new Date(2026, 0, 2, 13, 4, 5).getTime();

function render(events: RunEvent[], options: { timestamp?: boolean; prefix?: boolean; color?: boolean } = {}): string {
  let out = '';
  const renderer = new LineRenderer({
    timestamp: options.timestamp ?? true,
    prefix: options.prefix ?? true,
    color: options.color ?? false,
    write: (text) => {
      out += text;
      return true;
    },
    now: () => at,
  });
  events.forEach(renderer.handle);
  return out;
}

const starting = sampleStarting;
const output = (name: string, data: string | Buffer, type = name.split('.')[0] ?? ''): RunEvent => ({
  kind: 'instance:output',
  name,
  type,
  uid: 1,
  stream: 'stdout',
  data: Buffer.isBuffer(data) ? data : Buffer.from(data),
});

describe('LineRenderer', () => {
  test('every line is prefixed HH:MM:SS and the name padded to the longest', () => {
    expect(
      render([starting, output('web.1', 'a\nb\n'), output('worker.1', 'c\n')])
        .split('\n')
        .slice(1),
    ).toEqual(['13:04:05 web.1    | a', '13:04:05 web.1    | b', '13:04:05 worker.1 | c', '']);
  });
  test('--no-timestamp and --no-prefix', () => {
    expect(render([starting, output('web.1', 'a\n')], { timestamp: false }).split('\n')[1]).toBe('web.1    | a');
    expect(render([starting, output('web.1', 'a\n')], { timestamp: false, prefix: false }).split('\n')[1]).toBe('a');
    expect(render([starting, output('web.1', 'a\n')], { prefix: false }).split('\n')[1]).toBe('13:04:05 a');
  });
  test('colour: the whole prefix in a stable colour per type; the children’s own colours pass through', () => {
    const out = render([starting, output('web.2', '\u001b[1mbold\u001b[0m\n'), output('worker.1', 'x\n')], {
      color: true,
    }).split('\n');
    expect(out[1]).toBe('\u001b[36m13:04:05 web.2    | \u001b[0m\u001b[1mbold\u001b[0m');
    expect(out[2]).toBe('\u001b[33m13:04:05 worker.1 | \u001b[0mx');
  });
  test('invalid UTF-8 becomes U+FFFD without merging lines (honcho printer test)', () => {
    expect(
      render([starting, output('web.1', Buffer.from([0xfe, 0xff, 0x0a, 0x6f, 0x6b, 0x0a]))], { timestamp: false })
        .split('\n')
        .slice(1, 3),
    ).toEqual(['web.1    | \ufffd\ufffd', 'web.1    | ok']);
  });
  test('lifecycle lines, Foreman style', () => {
    const lines = render(
      [
        starting,
        { kind: 'instance:spawned', name: 'web.1', type: 'web', uid: 1, pid: 42, port: 40000, replacing: false },
        {
          kind: 'instance:exited',
          name: 'worker.1',
          type: 'worker',
          uid: 2,
          pid: 43,
          code: 3,
          signal: null,
          state: 'crashed',
          restartInMs: 2000,
          killedAfterMs: undefined,
        },
        {
          kind: 'instance:exited',
          name: 'web.1',
          type: 'web',
          uid: 1,
          pid: 42,
          code: null,
          signal: 'SIGTERM',
          state: 'stopped',
          restartInMs: undefined,
          killedAfterMs: undefined,
        },
        {
          kind: 'instance:exited',
          name: 'web.2',
          type: 'web',
          uid: 3,
          pid: 44,
          code: null,
          signal: 'SIGTERM',
          state: 'stopped',
          restartInMs: undefined,
          killedAfterMs: 5000,
        },
        { kind: 'type:crash-looping', type: 'worker', crashes: 5, windowMs: 60_000, lastLines: [] },
      ],
      { timestamp: false },
    ).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'amnesia  | starting web=2,worker=1 from Procfile · seed 42 (replay with --seed 42) · random balancing · a restart about every 30s',
      'web.1    | started with pid 42 (PORT=40000)',
      'worker.1 | crashed: exited with code 3, restarting in 2s',
      'web.1    | terminated by SIGTERM',
      'web.2    | killed by SIGKILL: its group outlived SIGTERM by 5s',
      'amnesia  | worker is crash looping (5 crashes within 1m): not restarting it',
    ]);
  });
});

describe('requests', () => {
  const request = (status: number, extra: Partial<Extract<RunEvent, { kind: 'request:done' }>> = {}): RunEvent =>
    sampleRequest({ status, hop: true, ...extra });

  test('--log-requests: one line per request with its marks', () => {
    let out = '';
    const renderer = new LineRenderer({
      timestamp: false,
      prefix: true,
      color: false,
      logRequests: true,
      write: (t) => ((out += t), true),
    });
    [
      starting,
      request(200),
      request(502, { hop: false, afterRestart: true, retried: true, error: 'ECONNRESET' }),
    ].forEach(renderer.handle);
    expect(out.split('\n').slice(1, 3)).toEqual([
      'web.2    | GET /users/7 → 200 in 3ms (hop)',
      'web.2    | GET /users/7 → 502 in 3ms (after restart, retried): ECONNRESET',
    ]);
  });

  test('otherwise a summary per type at each tick, with its latency; failures the router answered itself are printed at once', () => {
    let out = '';
    const renderer = new LineRenderer({
      timestamp: false,
      prefix: true,
      color: false,
      write: (t) => ((out += t), true),
    });
    [
      starting,
      request(200, { durationMs: 1.5 }),
      request(200, { durationMs: 2 }),
      request(404, { durationMs: 2 }),
      request(503, { instance: undefined, hop: false, error: 'no web instance was ready within 30s', durationMs: 40 }),
    ].forEach(renderer.handle);
    renderer.tick(5000);
    renderer.tick(5000);
    expect(out.split('\n').slice(1)).toEqual([
      'amnesia  | web: GET /users/7 → 503: no web instance was ready within 30s',
      'amnesia  | web: 4 requests in 5s (2×200, 1×404, 1×503) · p50 2ms · p99 40ms · 3 hops · 0 after a restart',
      '',
    ]);
  });
});

describe('prefixLines', () => {
  test('no prefix: the text is passed on as it is', () => {
    expect(prefixLines('', Buffer.from('a\nb\n'))).toEqual({ text: 'a\nb\n', ascii: true });
  });
  test('prefix before each line, empty lines included', () => {
    expect(prefixLines('> ', Buffer.from('a\n\nb\n'))).toEqual({ text: '> a\n> \n> b\n', ascii: true });
  });
  test('non-ASCII text and prefixes keep their UTF-8; invalid sequences become U+FFFD, never a lost newline', () => {
    expect(prefixLines('é> ', Buffer.from('a\nb\n')).text).toBe('é> a\né> b\n');
    expect(prefixLines('> ', Buffer.from('ünï\ncödé\n')).text).toBe('> ünï\n> cödé\n');
    expect(prefixLines('> ', Buffer.from([0x61, 0xc3, 0x0a, 0x62, 0x0a])).text).toBe('> a\ufffd\n> b\n');
    expect(prefixLines('', Buffer.from([0xff, 0x0a])).text).toBe('\ufffd\n');
    expect([prefixLines('é> ', Buffer.from('a\n')).ascii, prefixLines('> ', Buffer.from('ü\n')).ascii]).toEqual([
      false,
      false,
    ]);
  });
});
