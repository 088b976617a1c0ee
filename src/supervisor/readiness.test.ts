import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { httpProbe, tcpProbe, waitReady } from './readiness.js';

// A real server on a free port: /ok answers 200, /moved 302, anything else 503.
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/ok' });
    else res.writeHead(req.url === '/ok' ? 200 : 503);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// a port nothing listens on: one we had and gave back
async function closedPort(): Promise<number> {
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port: free } = other.address() as AddressInfo;
  await new Promise<void>((resolve) => other.close(() => resolve()));
  return free;
}

describe('readiness probes', () => {
  test('the HTTP probe passes on 2xx and 3xx, fails on 5xx and on a closed port', async () => {
    expect(await httpProbe('127.0.0.1', port, '/ok')()).toBe(true);
    expect(await httpProbe('127.0.0.1', port, '/moved')()).toBe(true);
    expect(await httpProbe('127.0.0.1', port, '/broken')()).toBe(false);
    expect(await httpProbe('127.0.0.1', await closedPort(), '/ok')()).toBe(false);
  });
  test('the TCP probe passes when something accepts the connection', async () => {
    expect(await tcpProbe('127.0.0.1', port)()).toBe(true);
    expect(await tcpProbe('127.0.0.1', await closedPort())()).toBe(false);
  });
  test('waitReady polls until the probe passes, and gives up on abort', async () => {
    let calls = 0;
    expect(await waitReady(async () => ++calls >= 3, 5000, new AbortController().signal)).toBe(true);
    expect(calls).toBe(3);
    const abort = new AbortController();
    abort.abort();
    expect(await waitReady(async () => true, 5000, abort.signal)).toBe(false);
  });
});
