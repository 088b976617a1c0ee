import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';

import { amnesiaDone, establishedSockets, eventually, freeBasePort, makeApp, rawExchange, startRouted } from './helpers.js';

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
    expect(await rawExchange(base, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(100_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);

    // a client that aborts mid-body, large (streamed) and small (buffered)
    for (const length of [5_000_000, 10_000]) {
      await new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: base }, () => {
          socket.write(`POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: ${length}\r\n\r\n${'x'.repeat(1000)}`);
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
        socket.on('error', () => undefined);
      });
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
    const upgrade = `GET /refuse HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
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
    expect(result.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${base}: port ${base} \\(the router for web\\) is already in use`));
    expect(result.stderr).toMatch(/hint: .*-p/);
    expect(result.stdout).not.toMatch(/started with pid/);
  });
});
