import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, test } from 'vitest';

import {
  amnesiaDone,
  BIN,
  eventually,
  freeBasePort,
  keepRequesting,
  expectNoneLeft,
  liveProcesses,
  makeApp,
} from './helpers.js';

// A tmux pane (120x40 unless told) on its own server socket running `amnesia start -p PORT --no-restart ARGS`
// in `dir`, then `EXITED <code>`. CI is unset for amnesia itself: with CI set, start rightly prints lines
// instead of the UI.
function tmuxPane(
  dir: string,
  port: number,
  name: string,
  options: { size?: [number, number]; args?: string; env?: string } = {},
) {
  // the server's socket in a folder of the test's own: tmux's kill-server leaves a socket file behind in
  // /tmp/tmux-UID, one per pane and run, which nothing else would remove
  const home = mkdtempSync(join(tmpdir(), `amnesia-tmux-${name}-`));
  const socket = join(home, 'socket');
  const [x, y] = options.size ?? [120, 40];
  const command = `env -u CI ${options.env ?? ''} node ${BIN} start -p ${port} --no-restart ${options.args ?? ''}; echo "EXITED $?"; sleep 60`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'ui', '-x', String(x), '-y', String(y), '-c', dir, command);
  return {
    tmux,
    screen: (): string => tmux('capture-pane', '-p', '-t', 'ui'),
    /** the screen with its colours and attributes, as escape sequences */
    styled: (): string => tmux('capture-pane', '-p', '-e', '-t', 'ui'),
    /** `text` written to the terminal in one write, as a paste is */
    paste: (text: string): void => {
      tmux('set-buffer', '-b', 'p', text);
      tmux('paste-buffer', '-b', 'p', '-t', 'ui');
    },
    resize: (columns: number, rows: number): string =>
      tmux('resize-window', '-t', 'ui', '-x', String(columns), '-y', String(rows)),
    /** the same command again, in the same pane */
    respawn: (): string => tmux('respawn-pane', '-k', '-t', 'ui', command),
    close: (): void => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** the log lines in the logs pane of a screen (between the tabs and the key line) */
const logLines = (screen: string): string[] => {
  const lines = screen.split('\n');
  const tabs = lines.findIndex((line) => line.startsWith(' logs '));
  return lines.slice(tabs + 1).filter((line) => / │ /.test(line));
};

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
      // each instance's process group: CPU (percent of a core) and resident memory, sampled every second
      expect(screen()).toMatch(/ERRORS +CPU% +RSS/);
      await eventually(
        () =>
          [1, 2, 3].every((n) =>
            new RegExp(`web\\.${n} .* ready .* \\d+(\\.\\d)? +\\d+(\\.\\d)?M `, 'm').test(screen()),
          ),
        10_000,
        'CPU and RSS of every instance on screen',
      );
      // the control socket serves the UI's run as it does a headless one
      const ps = await amnesiaDone(['ps'], { cwd: app.dir });
      expect(ps.stdout).toMatch(/web\.1 +\d+ +\d+ +ready[\s\S]*web\.3 +\d+ +\d+ +ready/);

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

  test('L sends load to the selected type: the traffic sparkline and the per-instance REQ/S, P50 and P99 move; + is marked on the time line; nothing is left when the run ends', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const port = await freeBasePort();
    const { tmux, screen, close } = tmuxPane(app.dir, port, 'load', { args: '-m web=1' });
    /** the header's traffic line of web: its two sparklines and figures */
    const trafficLine = (): string => /^web +req\/s .*$/m.exec(screen())?.[0] ?? '';
    const loadProcesses = (): number[] => liveProcesses(`load http://127.0.0.1:${port}`);
    try {
      await eventually(() => /web\.1 .* ready/.test(screen()), 20_000, 'web.1 ready on screen');
      expect(screen()).toMatch(/ REQ\/S +P50 +P99/);
      await eventually(() => trafficLine() !== '', 5000, 'the traffic line');
      expect(trafficLine()).toMatch(/req\/s ▁+ 0\.0 +p99 +-( |$)/);

      tmux('send-keys', '-t', 'ui', 'L');
      await eventually(() => /load on web: \d+ connections/.test(screen()), 10_000, 'the load started');
      expect(loadProcesses()).toHaveLength(1);
      await eventually(() => /● load/.test(trafficLine()), 5000, 'the load marked on the traffic line');
      // web.1's REQ/S, P50 and P99 are figures now, and the sparklines have bars above the floor
      await eventually(
        () => /web\.1 .* ready .* [1-9][\d.]* +[\d.]+ +[\d.]+ *$/m.test(screen()),
        10_000,
        'web.1 answering load on screen',
      );
      await eventually(() => /req\/s [▁▂▃▄▅▆▇█ ]*[▂▃▄▅▆▇█]/.test(trafficLine()), 10_000, 'the req/s sparkline rising');
      const before = trafficLine();
      await eventually(() => trafficLine() !== before, 5000, 'the sparkline moving on');

      tmux('send-keys', '-t', 'ui', '+');
      await eventually(() => /web\.2 .* ready/.test(screen()), 20_000, 'web.2 ready on screen');
      await eventually(() => /req\/s [▁▂▃▄▅▆▇█ ]*\+/.test(trafficLine()), 5000, 'the scale-up marked on the time line');
      await eventually(
        () => /web\.2 .* ready .* [1-9][\d.]* +[\d.]+ +[\d.]+ *$/m.test(screen()),
        10_000,
        'web.2 answering load on screen',
      );

      tmux('send-keys', '-t', 'ui', 'L');
      await eventually(
        () => /load on web stopped: [\d,]+ answered, p99 \d+ms, 0 failed/.test(screen()),
        10_000,
        'the load stopped',
      );
      expect(trafficLine()).not.toMatch(/● load/);
      await eventually(() => loadProcesses().length === 0, 5000, 'the load process gone');

      // a load still running when the run ends goes with it
      tmux('send-keys', '-t', 'ui', 'L');
      await eventually(() => loadProcesses().length === 1, 10_000, 'the load started again');
      tmux('send-keys', '-t', 'ui', 'q');
      await eventually(() => /EXITED 0/.test(screen()), 20_000, 'the run to end');
      await eventually(() => loadProcesses().length === 0, 5000, 'the load gone with the run');
    } finally {
      close();
    }
  });

  test('SIGINT and SIGTERM from outside (kill, a process manager) and SIGHUP (its terminal closed) stop the UI run gracefully', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const port = await freeBasePort();
    const { screen, respawn, close } = tmuxPane(app.dir, port, 'signals');
    try {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        await eventually(() => /web\.3 .* ready/.test(screen()), 20_000, 'ready instances on screen');
        // amnesia itself, not the tmux server or the shell that runs the pane's command line
        const [pid] = liveProcesses(`${BIN} start -p ${port}`).filter((p) =>
          /^node /.test(execFileSync('ps', ['-o', 'args=', '-p', String(p)], { encoding: 'utf8' }).trim()),
        );
        process.kill(pid!, signal);
        await eventually(() => /EXITED \d+/.test(screen()), 20_000, 'the run to end');
        expect(screen()).toMatch(/EXITED 0/);
        expectNoneLeft(join(app.dir, 'web.mjs'));
        if (signal !== 'SIGHUP') respawn();
      }
    } finally {
      close();
    }
  });

  test('keys as a terminal sends them: two in one write, a pasted search with Enter, Esc, a pinned scroll, s, Enter on a finding', async () => {
    const app = makeApp({
      Procfile: (a) => `web: ${a.node('web.mjs')}\nlog: ${a.node('progress.mjs')}\ncrasher: ${a.node('crash.mjs')}\n`,
    });
    const port = await freeBasePort();
    const { tmux, screen, styled, paste, close } = tmuxPane(app.dir, port, 'input', {
      args: '-m web=1,log=1,crasher=1',
    });
    try {
      await eventually(() => /web\.1 .* ready/.test(screen()), 20_000, 'web.1 ready on screen');
      // the progress bar's line as a terminal shows it: the last segment, under the instance's prefix
      await eventually(() => /log\.1 +│ progress 100%$/m.test(screen()), 10_000, 'the progress line');
      expect(screen()).not.toMatch(/progress 10%/);

      // two keys in one write: ++ scales web twice
      tmux('send-keys', '-t', 'ui', '-l', '++');
      await eventually(() => /web\.3 .* ready/.test(screen()), 20_000, 'web.2 and web.3 ready');

      // Tab Tab in one write: the findings pane; the crash is a finding; Enter opens it in full
      await eventually(() => /crasher\.1 .*crashed|crash-loop/.test(screen()), 10_000, 'the crasher to crash');
      tmux('send-keys', '-t', 'ui', 'Tab', 'Tab');
      await eventually(() => /› crash +\(process\)/.test(screen()), 10_000, 'the crash finding under the cursor');
      tmux('send-keys', '-t', 'ui', 'Enter');
      await eventually(() => /finding 1 of \d+/.test(screen()), 5000, 'the finding opened');
      expect(screen()).toMatch(/crash {2}\(process\) {2}\(crasher: crasher\.1; seen \d+ times?\)/);
      expect(screen()).toMatch(/crasher\.1 \(pid \d+\) exited with code 3 while the run went on/);
      expect(screen()).toMatch(/fix: .+/);
      expect(screen()).toMatch(
        new RegExp(`replay: amnesia start -p ${port} --no-restart -m web=1,log=1,crasher=1 --seed \\d+`),
      );
      tmux('send-keys', '-t', 'ui', 'Escape');
      await eventually(() => !/finding 1 of/.test(screen()), 5000, 'the finding closed');

      // back to the logs; a pasted search and its Enter in one write: only matching lines, the match highlighted
      tmux('send-keys', '-t', 'ui', 'Tab');
      paste('/LINE 1\r');
      await eventually(() => /logs: all instances · \/LINE 1$/m.test(screen()), 5000, 'the search applied');
      await eventually(() => logLines(screen()).length > 3, 5000, 'matching lines');
      for (const line of logLines(screen())) expect(line).toMatch(/│ line 1/);
      // reverse video on the match only: on from "line 1", off (a reset) before the rest of the number
      const ESC = String.fromCharCode(27);
      expect(styled().replaceAll(ESC, '^')).toMatch(/│ \^\[7m(\^\[\d+m)*line 1\^\[0m(\^\[\d+m)*\d/);
      // Esc clears it; ? opens help and Esc closes it, without quitting
      tmux('send-keys', '-t', 'ui', 'Escape');
      await eventually(() => !/\/LINE 1/.test(screen()), 5000, 'the search cleared');
      tmux('send-keys', '-t', 'ui', '?');
      await eventually(() => /^keys$/m.test(screen()), 5000, 'help');
      tmux('send-keys', '-t', 'ui', 'Escape');
      await eventually(() => !/^keys$/m.test(screen()) && /web\.1 .* ready/.test(screen()), 5000, 'help closed');
      expect(screen()).not.toMatch(/stopping every instance|EXITED/);

      // a scrolled view stays on its lines while log.1 keeps printing, and says how many came since
      tmux('send-keys', '-t', 'ui', 'PPage');
      await eventually(() => /↑\d+ · End to follow/.test(screen()), 5000, 'the scrolled mark');
      const pinned = logLines(screen());
      const behind = Number(/↑(\d+) · End/.exec(screen())?.[1]);
      await eventually(() => Number(/↑(\d+) · End/.exec(screen())?.[1]) > behind + 10, 5000, 'more lines below');
      expect(logLines(screen())).toEqual(pinned);
      tmux('send-keys', '-t', 'ui', 'End');
      await eventually(() => !/End to follow/.test(screen()), 5000, 'following again');

      // s stops the selected instance and leaves it stopped; s again starts it
      tmux('send-keys', '-t', 'ui', 's');
      await eventually(() => /› web\.1 +\d+ +\d+ +stopped/.test(screen()), 10_000, 'web.1 stopped');
      tmux('send-keys', '-t', 'ui', 's');
      await eventually(() => /› web\.1 +\d+ +\d+ +ready/.test(screen()), 10_000, 'web.1 ready again');

      tmux('send-keys', '-t', 'ui', 'q');
      await eventually(() => /EXITED 0/.test(screen()), 20_000, 'the run to end');
    } finally {
      close();
    }
  });

  test('small terminals (60x15, 40x10, help at 60x15, 33 instances in 120x36): the header and the selected row stay on screen', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const port = await freeBasePort();
    const { tmux, screen, resize, close } = tmuxPane(app.dir, port, 'small', { size: [60, 15], args: '-m web=6' });
    const headerOnTop = (s: string): boolean => /^amnesia {2}web → /.test(s) && /^web=\d+ · /m.test(s);
    try {
      await eventually(() => /web\.6 .* ready/.test(screen()) || /\/6/.test(screen()), 20_000, 'six instances');
      await eventually(() => headerOnTop(screen()), 5000, 'the header at 60x15');
      tmux('send-keys', '-t', 'ui', '?');
      await eventually(() => /^keys$/m.test(screen()), 5000, 'help');
      expect(headerOnTop(screen())).toBe(true);
      tmux('send-keys', '-t', 'ui', 'Escape');
      resize(40, 10);
      await eventually(
        () => screen().split('\n')[0]!.length <= 40 && headerOnTop(screen()),
        5000,
        'the header at 40x10',
      );
      expect(screen()).toMatch(/^› web\.1 /m);
      // the selected row stays shown as it moves down the list
      tmux('send-keys', '-t', 'ui', 'Down', 'Down', 'Down', 'Down', 'Down');
      await eventually(() => /^› web\.6 /m.test(screen()), 5000, 'web.6 selected and shown');
      expect(headerOnTop(screen())).toBe(true);
      resize(120, 36);
      tmux('send-keys', '-t', 'ui', '-l', '+'.repeat(27));
      await eventually(() => /\/33 /.test(screen()), 30_000, '33 instances');
      expect(headerOnTop(screen())).toBe(true);
      expect(screen()).toMatch(/^› web\.6 /m);
    } finally {
      close();
    }
  });

  test('NO_COLOR: the UI paints no colour, and keeps inverse and bold (the selection still shows)', async () => {
    const port = await freeBasePort();
    const ESC = String.fromCharCode(27);
    // foreground colours: 30-37, 90-97, 38;5;N and 38;2;R;G;B, alone or after other attributes
    const colour = new RegExp(`${ESC}\\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]`);
    for (const env of ['NO_COLOR=1', '']) {
      // an app of its own: the first run may still be stopping (its terminal closed) when the second starts
      const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
      const { styled, screen, close } = tmuxPane(app.dir, port, `colour${env === '' ? '' : '-off'}`, {
        args: '-m web=2',
        env,
      });
      try {
        await eventually(() => /web\.2 .* ready/.test(screen()), 20_000, 'ready instances');
        if (env === '') expect(styled()).toMatch(colour);
        else {
          expect(styled()).not.toMatch(colour);
          expect(styled()).toMatch(new RegExp(`${ESC}\\[[0-9;]*7m`));
        }
      } finally {
        close();
      }
    }
  });
});
