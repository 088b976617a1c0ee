import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';

import { ephemeralStart, freePort } from './free-port.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
const listen = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    servers.push(server);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

describe('freePort', () => {
  test('ports come from below the ephemeral range (where outgoing connections take theirs), each once, each free', async () => {
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralStart());
      await listen(port);
    }
  });

  test('a port another listener holds is passed over', async () => {
    const span = ephemeralStart() - 10_000;
    const held = 10_000 + Math.floor(0.37 * span);
    await listen(held);
    const draws = [0.37, 0.71];
    const port = await freePort('127.0.0.1', () => draws.shift() ?? 0.5);
    expect(port).toBe(10_000 + Math.floor(0.71 * span));
  });

  test('the ephemeral range starts where Linux says, else at IANA’s 49152', () => {
    expect(ephemeralStart(() => '32768\t60999\n')).toBe(32_768);
    expect(
      ephemeralStart(() => {
        throw new Error('ENOENT');
      }),
    ).toBe(49_152);
  });
});
