import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, test } from 'vitest';

import { BIN, eventually, freeBasePort, keepRequesting, liveProcesses, makeApp } from './helpers.js';

// A 120x40 tmux pane on its own server socket running `amnesia start -p PORT --no-restart` in `dir`, then
// `EXITED <code>`. CI is unset for amnesia itself: with CI set, start rightly prints lines instead of the UI.
function tmuxPane(dir: string, port: number, name: string) {
  const socket = `amnesia-test-${name}-${process.pid}`;
  const command = `env -u CI node ${BIN} start -p ${port} --no-restart; echo "EXITED $?"; sleep 60`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'ui', '-x', '120', '-y', '40', '-c', dir, command);
  return {
    tmux,
    screen: (): string => tmux('capture-pane', '-p', '-t', 'ui'),
    /** the same command again, in the same pane */
    respawn: (): string => tmux('respawn-pane', '-k', '-t', 'ui', command),
    close: (): void => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}

describe('terminal UI in tmux', () => {
  test('instances reach ready; + scales up and the new instance gets requests; r restarts with no failed request; q ends the run', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const port = await freeBasePort();
    const { tmux, screen, close } = tmuxPane(app.dir, port, 'keys');
    try {
      await eventually(
        () => /web\.1 .* ready[\s\S]*web\.2 .* ready[\s\S]*web\.3 .* ready/.test(screen()),
        20_000,
        'three ready instances on screen',
      );
      expect(screen()).toMatch(new RegExp(`web → http://127\\.0\\.0\\.1:${port}`));

      const traffic = await keepRequesting(`http://127.0.0.1:${port}`, 3);

      tmux('send-keys', '-t', 'ui', '+');
      await eventually(() => /web\.4 .* ready/.test(screen()), 20_000, 'web.4 ready on screen');
      await eventually(() => traffic.seen.has('web.4'), 10_000, 'web.4 to receive requests');
      await eventually(
        () => /web\.4 +\d+ +\d+ +ready +\S+ +0 +[1-9]\d*/.test(screen()),
        10_000,
        'web.4 counting requests on screen',
      );

      tmux('send-keys', '-t', 'ui', 'r');
      await eventually(
        () => /web\.1 +\d+ +\d+ +ready +\S+ +1 /.test(screen()),
        20_000,
        'web.1 restarted once on screen',
      );
      expect((await traffic.stop()).failed).toEqual([]);

      tmux('send-keys', '-t', 'ui', 'q');
      await eventually(
        () => /stopping every instance/.test(screen()) || /EXITED/.test(screen()),
        10_000,
        'a visible shutdown',
      );
      await eventually(() => /EXITED 0/.test(screen()), 20_000, 'the run to end');
      // what is left is tmux itself (its argv names the folder), not amnesia's
      const left = liveProcesses(app.dir).filter(
        (pid) => !/^tmux/.test(execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim()),
      );
      expect(left).toEqual([]);
    } finally {
      close();
    }
  });

  test('SIGINT and SIGTERM from outside (kill, a process manager) stop the UI run gracefully, as headless', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const port = await freeBasePort();
    const { screen, respawn, close } = tmuxPane(app.dir, port, 'signals');
    try {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        await eventually(() => /web\.3 .* ready/.test(screen()), 20_000, 'ready instances on screen');
        // amnesia itself, not the tmux server or the shell that runs the pane's command line
        const [pid] = liveProcesses(`${BIN} start -p ${port}`).filter((p) =>
          /^node /.test(execFileSync('ps', ['-o', 'args=', '-p', String(p)], { encoding: 'utf8' }).trim()),
        );
        process.kill(pid!, signal);
        await eventually(() => /EXITED \d+/.test(screen()), 20_000, 'the run to end');
        expect(screen()).toMatch(/EXITED 0/);
        expect(liveProcesses(join(app.dir, 'web.mjs'))).toEqual([]);
        if (signal === 'SIGINT') respawn();
      }
    } finally {
      close();
    }
  });
});
