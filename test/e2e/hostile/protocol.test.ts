import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';

import { execFileSync } from 'node:child_process';
import {
  amnesiaDone,
  establishedSockets,
  eventually,
  freeBasePort,
  makeApp,
  rawExchange,
  sendAndLeave,
  startRouted,
  upgradeHead,
} from '../helpers.js';

// Requests whose framing two HTTP parsers could read differently (a front end and a back end that disagree
// on where a request ends is how a request is smuggled), or that RFC 9112 says must be refused.
const AMBIGUOUS: Record<string, string> = {
  'CL.TE': 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG',
  'TE.CL':
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n',
  'two Content-Length': 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde',
  'Content-Length with a sign': 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nabcde',
  'TE: xchunked': 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n',
  'TE with a space before the colon': 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n',
  'TE: chunked, identity': 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
  'TE twice':
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n',
  'a bare LF after a chunk size':
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n',
  'a chunk extension ending in LF':
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x\nabc\r\n0\r\n\r\n',
  'a chunk size past 64 bits':
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n',
  'obs-fold': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n',
  'a header line without a colon': 'GET / HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n',
  'NUL in a header value': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n',
  'a space in a header name': 'GET / HTTP/1.1\r\nHost: x\r\nX A: 1\r\n\r\n',
  'CR without LF': 'GET / HTTP/1.1\rHost: x\r\r\n',
  'no Host (HTTP/1.1)': 'GET / HTTP/1.1\r\n\r\n',
  'two Host headers': 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
  'two Host headers on an upgrade':
    'GET /ws HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
};

describe('hostile input: the router answers or closes cleanly, never crashes, and leaks no socket', () => {
  test('malformed requests, huge headers, aborted bodies, a dying upstream, 1,000 refused upgrades', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const base = await freeBasePort();
    const { run, url } = await startRouted(app, ['-p', String(base), '--no-restart']);
    const pid = run.child.pid ?? 0;
    const warm = await request(url);
    await warm.body.text();
    await eventually(() => establishedSockets(pid) === 0, 15_000, 'idle keep-alive sockets to close');

    expect(await rawExchange(base, 'GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(await rawExchange(base, 'GET / HTTP/9.9\r\nhost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 (400|505)/);
    expect(await rawExchange(base, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(base, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(100_000)}\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 431/,
    );

    // a client that aborts mid-body, large (streamed) and small (buffered)
    for (const length of [5_000_000, 10_000]) {
      await sendAndLeave(
        base,
        `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: ${length}\r\n\r\n${'x'.repeat(1000)}`,
        50,
      );
    }

    // an upstream that dies mid-response: the client sees the response break off
    await expect(request(`${url}/die`).then((res) => res.body.text())).rejects.toThrow();

    // 1,000 WebSocket upgrades that the instance refuses
    const refused = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<number>((resolve) => {
            const ws = new WebSocket(`${url.replace('http', 'ws')}/refuse`);
            ws.on('unexpected-response', (_req, res) => {
              resolve(res.statusCode ?? 0);
              ws.terminate();
            });
            ws.on('error', () => resolve(-1));
          }),
      ),
    );
    expect(refused.filter((status) => status === 403)).toHaveLength(1000);
    // and refused upgrades from clients that do not hang up themselves: the router must close them
    const upgrade = upgradeHead('/refuse');
    const raw = await Promise.all(Array.from({ length: 200 }, () => rawExchange(base, upgrade, 5000)));
    for (const text of raw) {
      expect(text).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      expect(text).not.toMatch(/still open/);
    }

    // still alive and serving, and back to the sockets it had before
    const after = await request(url);
    expect(after.statusCode).toBe(200);
    await after.body.text();
    await eventually(() => establishedSockets(pid) === 0, 15_000, 'the open socket count to return to the baseline');
    expect(run.stdout()).not.toMatch(/internal error/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  test('the router port in use: exit 2, named, nothing left running', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\nworker: ${a.node('tick.mjs')}\n` });
    const base = await freeBasePort();
    const blocker = (await import('node:net')).createServer().listen(base, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const result = await amnesiaDone(['start', '-p', String(base)], { cwd: app.dir });
    blocker.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${base}: port ${base} \\(the router for web\\) is already in use`),
    );
    expect(result.stderr).toMatch(/hint: .*-p/);
    expect(result.stdout).not.toMatch(/started with pid/);
  });

  test('request smuggling and ambiguous framing: every shape gets one 400 and a closed connection, and never reaches the app', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const base = await freeBasePort();
    const { run } = await startRouted(app, ['-p', String(base), '--no-restart', '--log-requests']);
    for (const [shape, data] of Object.entries(AMBIGUOUS)) {
      const answer = await rawExchange(base, data, 3000);
      expect({ shape, status: answer.split('\r\n')[0] }).toEqual({ shape, status: 'HTTP/1.1 400 Bad Request' });
      expect({ shape, responses: answer.match(/HTTP\/1\.1 /g)?.length, open: answer.includes('(still open)') }).toEqual(
        { shape, responses: 1, open: false },
      );
    }
    // no request got through whole; one whose body broke after a good head is logged as the 400 it got
    expect(run.stdout()).not.toMatch(/\| (GET|POST) \S+ → [2-5]\d\d in \d+ms(?!: malformed request body \(HPE_)/);
    expect(run.stdout()).not.toMatch(/→ 499/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  test('10,000 headers: 431; the router listens on 127.0.0.1 only', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\nadmin: ${a.node('web.mjs')}\n` });
    const base = await freeBasePort();
    const { run } = await startRouted(app, [
      '-p',
      String(base),
      '--no-restart',
      '--route',
      'web,admin',
      '-m',
      'web=1,admin=1',
    ]);
    const headers = Array.from({ length: 10_000 }, (_, i) => `x-h${i}: 1\r\n`).join('');
    expect(await rawExchange(base, `GET / HTTP/1.1\r\nhost: x\r\n${headers}\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    // both routers (web and admin), and nothing else, listen; only on the loopback address
    const listening = execFileSync('ss', ['-tlnpH'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`pid=${run.child.pid},`))
      .map((line) => line.split(/\s+/)[3]);
    expect(listening).toHaveLength(2);
    expect(listening).toContain(`127.0.0.1:${base}`);
    for (const address of listening) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  test('slowloris: 300 connections trickling a request head do not keep a normal client out', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const base = await freeBasePort();
    const { run, url } = await startRouted(app, ['-p', String(base), '--no-restart']);
    const pid = run.child.pid ?? 0;
    const slow = await Promise.all(
      Array.from(
        { length: 300 },
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port: base }, () => {
              socket.write('GET / HTTP/1.1\r\nhost: x\r\n');
              resolve(socket);
            });
            socket.on('error', () => undefined);
          }),
      ),
    );
    const trickle = setInterval(() => {
      for (const socket of slow) socket.write('x');
    }, 200);
    await eventually(() => establishedSockets(pid) >= 300, 10_000, 'the 300 slow connections to be accepted');
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await request(url, { reset: i % 2 === 0 });
      statuses.push(res.statusCode);
      await res.body.text();
    }
    // the slow ones were all still there while the normal client was served
    expect(slow.filter((socket) => !socket.destroyed)).toHaveLength(300);
    expect(statuses).toEqual(Array.from({ length: 50 }, () => 200));
    clearInterval(trickle);
    for (const socket of slow) socket.destroy();
    await eventually(() => establishedSockets(pid) === 0, 15_000, 'the slow connections to be gone');
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});
