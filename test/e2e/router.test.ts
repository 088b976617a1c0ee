import { Client, Pool, request } from 'undici';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';

import { amnesia, freeBasePort, makeApp, rawExchange, sendAndLeave, startRouted, upgradeHead } from './helpers.js';

const webApp = () => makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });

async function instancesOf(
  client: Client | Pool,
  count: number,
  headers: Record<string, string> = {},
): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await client.request({ path: '/', method: 'GET', headers });
    await res.body.text();
    seen.push(String(res.headers['x-amnesia-instance']));
  }
  return seen;
}

describe('balancing', () => {
  test('random, with a fixed seed, spreads 600 requests over 3 instances, none under 150, and replays', async () => {
    const app = webApp();
    const spread = async (): Promise<string[]> => {
      const port = await freeBasePort();
      const { run, url } = await startRouted(app, [
        '-p',
        String(port),
        '--seed',
        '1234',
        '--no-restart',
        '--no-timestamp',
      ]);
      const client = new Client(url);
      const seen = await instancesOf(client, 600);
      await client.close();
      run.signal('SIGINT');
      await run.exited;
      expect(run.stdout()).toMatch(/seed 1234 \(replay with --seed 1234\)/);
      return seen;
    };
    const first = await spread();
    const counts = ['web.1', 'web.2', 'web.3'].map((name) => first.filter((n) => n === name).length);
    expect(counts.reduce((a, b) => a + b)).toBe(600);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(150);
    expect(await spread()).toEqual(first);
  });

  test('hop never sends a client to the instance it just used (per connection, and per session cookie)', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '--balance',
      'hop',
      '--no-restart',
    ]);
    const client = new Client(url);
    const seen = await instancesOf(client, 100);
    seen.forEach((name, i) => i > 0 && expect(name).not.toBe(seen[i - 1]));
    await client.close();
    const bySession: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await request(url, { headers: { cookie: 'sid=abc' } });
      await res.body.text();
      bySession.push(String(res.headers['x-amnesia-instance']));
    }
    bySession.forEach((name, i) => i > 0 && expect(name).not.toBe(bySession[i - 1]));
    run.signal('SIGINT');
    await run.exited;
  });

  test('sticky always sends a client to the same instance', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '--balance',
      'sticky',
      '--no-restart',
    ]);
    for (const sid of ['a', 'b', 'c', 'd']) {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const res = await request(url, { headers: { cookie: `session=${sid}` } });
        await res.body.text();
        seen.add(String(res.headers['x-amnesia-instance']));
      }
      expect(seen.size).toBe(1);
    }
    run.signal('SIGINT');
    await run.exited;
  });
});

describe('protocols', () => {
  test('X-Forwarded-* are set, hop-by-hop headers stripped, the Host kept', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '-m', 'web=1', '--no-restart']);
    const { host, port } = new URL(url);
    const raw = await rawExchange(
      Number(port),
      `GET /headers HTTP/1.1\r\nhost: ${host}\r\nconnection: close, x-custom\r\nx-custom: 1\r\nkeep-alive: timeout=9\r\n\r\n`,
    );
    const seen = JSON.parse(
      raw
        .slice(raw.indexOf('\r\n\r\n') + 4)
        .replace(/^[0-9a-f]+\r\n/, '')
        .replace(/\r\n0\r\n\r\n$/, ''),
    ) as Record<string, string>;
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(new URL(url).host);
    expect(seen['host']).toBe(new URL(url).host);
    expect(seen['x-custom']).toBeUndefined();
    run.signal('SIGINT');
    await run.exited;
  });

  test('a request body streams through (1 MB echo)', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '--no-restart']);
    const body = Buffer.alloc(1024 * 1024, 'abcdefgh');
    const res = await request(`${url}/echo`, { method: 'POST', body });
    expect(Buffer.compare(Buffer.from(await res.body.arrayBuffer()), body)).toBe(0);
    run.signal('SIGINT');
    await run.exited;
  });

  test('server-sent events arrive one by one, and a WebSocket echoes through the router', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '--no-restart']);
    const res = await request(`${url}/sse?n=5&interval=100`);
    expect(res.headers['content-type']).toBe('text/event-stream');
    const events: string[] = [];
    for await (const chunk of res.body)
      events.push(
        ...String(chunk)
          .split('\n\n')
          .filter((e) => e !== ''),
      );
    expect(events).toHaveLength(6);
    expect(events.at(-1)).toBe('data: end');

    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    let instance = '';
    ws.once('upgrade', (response) => (instance = String(response.headers['x-amnesia-instance'])));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(instance).toMatch(/^web\.[123]$/);
    const replies: string[] = [];
    ws.on('message', (data) => replies.push(String(data)));
    for (const word of ['one', 'two', 'three']) ws.send(word);
    await new Promise<void>((resolve) => {
      const check = (): void => (replies.length === 3 ? resolve() : void setTimeout(check, 10));
      check();
    });
    expect(replies).toEqual([`${instance}:one`, `${instance}:two`, `${instance}:three`]);
    ws.close();
    run.signal('SIGINT');
    await run.exited;
  });
});

describe('--upstream-timeout', () => {
  test('an instance that never answers: 504 naming it after the timeout; a slow stream that keeps talking is not cut', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '-m',
      'web=1',
      '--no-restart',
      '--upstream-timeout',
      '1s',
      '--log-requests',
      '--no-timestamp',
    ]);
    try {
      const hung = await request(`${url}/hang`);
      expect(hung.statusCode).toBe(504);
      expect(await hung.body.text()).toBe(
        'amnesia: web instance web.1 timed out: no answer for 1s (--upstream-timeout)\n',
      );
      await run.waitFor(/web\.1 +\| GET \/hang → 504 in \d+(\.\d+)?s: no answer for 1s/);
      // 6 chunks 400 ms apart: 2.4 s in all, never 1 s of silence
      const drip = await request(`${url}/drip?n=6&interval=400`);
      expect(drip.statusCode).toBe(200);
      expect(await drip.body.text()).toBe('0\n1\n2\n3\n4\n5\ndone\n');
      // server-sent events (an EventSource asks for text/event-stream) may be quiet longer than the timeout
      const sse = await request(`${url}/sse?n=2&interval=1500`, { headers: { accept: 'text/event-stream' } });
      expect(await sse.body.text()).toMatch(/data: web\.1 1\n\ndata: end/);
    } finally {
      run.signal('SIGINT');
      await run.exited;
    }
  });
});

describe('a client that leaves first', () => {
  test('is logged 499 "client closed", never 502 against the instance: small and streamed bodies, and an upgrade not yet answered', async () => {
    const app = webApp();
    const port = await freeBasePort();
    const { run } = await startRouted(app, [
      '-p',
      String(port),
      '-m',
      'web=1',
      '--no-restart',
      '--log-requests',
      '--no-timestamp',
    ]);
    const leave = (text: string, afterMs: number): Promise<void> => sendAndLeave(port, text, afterMs);
    try {
      // a body over 64 KB streams through; a smaller one is read first
      await leave(`POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 5000000\r\n\r\n${'x'.repeat(100_000)}`, 200);
      await run.waitFor(/web\.1 +\| POST \/echo → 499 in .*: client closed the connection/);
      await leave(`POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 10000\r\n\r\n${'x'.repeat(1000)}`, 100);
      await run.waitFor(/web: POST \/echo → 499: client aborted while sending the body/);
      await leave(upgradeHead('/slow-upgrade'), 100);
      await run.waitFor(/web\.1 +\| GET \/slow-upgrade → 499 in .*: client closed the connection/);
      expect(run.stdout()).not.toMatch(/→ 502/);
    } finally {
      run.signal('SIGINT');
      await run.exited;
    }
  });
});

describe('a client that leaves while no instance is ready', () => {
  test('is logged 499 at once (request and upgrade), and the router stops waiting for it', async () => {
    const app = makeApp({ Procfile: (a) => `web: BOOT_MS=5000 ${a.node('slow-boot.mjs')}\n` });
    const port = await freeBasePort();
    const run = amnesia(
      ['start', '-p', String(port), '-m', 'web=1', '--no-restart', '--log-requests', '--no-timestamp'],
      { cwd: app.dir },
    );
    await run.waitFor(/web\.1 +\| started with pid/);
    const leave = (text: string): Promise<void> => sendAndLeave(port, text, 100);
    try {
      await leave('GET /early HTTP/1.1\r\nhost: x\r\n\r\n');
      await leave(upgradeHead('/early-ws'));
      // both are logged before the instance is ready (it boots in 5 s): the router did not hold them
      const [log] = await run.waitFor(/[\s\S]*GET \/early-ws → 499[^\n]*/);
      expect(log).toMatch(/web: GET \/early → 499: client closed the connection while waiting for an instance/);
      expect(log).toMatch(/web: GET \/early-ws → 499: client closed the connection while waiting for an instance/);
      expect(log).not.toMatch(/web\.1 +\| ready/);
    } finally {
      run.signal('SIGINT');
      await run.exited;
    }
  });
});

describe('spliced connections are not kept for ever', () => {
  test('silent connections (a client gone without a FIN, an app that never closes) are closed after --socket-idle-timeout', async () => {
    const { establishedSockets, eventually } = await import('./helpers.js');
    const { connect } = await import('node:net');
    const app = webApp();
    const port = await freeBasePort();
    const { run } = await startRouted(app, [
      '-p',
      String(port),
      '-m',
      'web=1',
      '--no-restart',
      '--socket-idle-timeout',
      '1s',
    ]);
    const pid = run.child.pid ?? 0;
    const upgrade = upgradeHead('/hold');
    const clients = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port }, () => socket.write(upgrade));
            socket.once('data', () => resolve(socket));
            socket.on('error', () => undefined);
          }),
      ),
    );
    try {
      // the clients never close and never speak again: only the idle timeout can free the manager's sockets
      await eventually(() => establishedSockets(pid) === 0, 15_000, 'the idle spliced sockets to close');
    } finally {
      for (const socket of clients) socket.destroy();
      run.signal('SIGINT');
      await run.exited;
    }
  });
});
