import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { amnesia, eventually, freeBasePort, liveProcesses, makeApp } from '../helpers.js';

// How each cycle ends: the signal to the manager, and whether it comes once every instance is ready or in
// the middle of a scheduled restart (a replacement booting, an old instance draining).
const ENDINGS: Array<[NodeJS.Signals, 'ready' | 'mid-restart']> = [
  ['SIGINT', 'ready'],
  ['SIGTERM', 'mid-restart'],
  ['SIGKILL', 'ready'],
  ['SIGKILL', 'mid-restart'],
];

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('start/stop cycles leave nothing behind', () => {
  test('12 cycles ended by SIGINT, SIGTERM and SIGKILL, ready or mid-restart: no process, no temp dir, the port free', async () => {
    const app = makeApp({
      // a web type under restarts, and a worker whose shell line starts a grandchild and a process that ignores SIGTERM
      Procfile: (a) => `web: ${a.node('web.mjs')}\nworker: ${a.node('tick.mjs')} & ${a.node('ignore-term.mjs')}\n`,
    });
    const tmp = join(app.dir, 'tmp');
    mkdirSync(tmp);
    for (let cycle = 0; cycle < 12; cycle++) {
      const [signal, when] = ENDINGS[cycle % ENDINGS.length]!;
      const port = await freeBasePort();
      const run = amnesia(
        [
          'start',
          '-p',
          String(port),
          '-m',
          'web=2,worker=1',
          '-t',
          '500ms',
          '--restart-every',
          '300ms',
          '--seed',
          String(cycle),
        ],
        {
          cwd: app.dir,
          env: { TMPDIR: tmp },
        },
      );
      await run.waitFor(/all instances started/);
      await run.waitFor(/worker\.1 +\| stubborn up/);
      if (when === 'mid-restart') {
        const seen = run.stdout().match(/restarting \(/g)?.length ?? 0;
        await run.waitFor(new RegExp(`(?:[\\s\\S]*?restarting \\(){${seen + 1}}`));
      }
      expect(liveProcesses(app.dir).length).toBeGreaterThanOrEqual(4);
      run.signal(signal);
      const exit = await run.exited;
      const what = `cycle ${cycle}: ${signal} ${when}`;
      expect({ what, exit }).toEqual({
        what,
        exit: signal === 'SIGKILL' ? { code: null, signal } : { code: 0, signal: null },
      });
      // after SIGKILL the watchdog reaps: within its stop timeout
      await eventually(() => liveProcesses(app.dir).length === 0, 10_000, `${what}: every process to be gone`);
      await eventually(() => readdirSync(tmp).length === 0, 5_000, `${what}: the temp dirs to be removed`);
      expect({ what, free: await portIsFree(port) }).toEqual({ what, free: true });
    }
  });
});
