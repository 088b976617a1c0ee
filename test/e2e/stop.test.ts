import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import { amnesia, eventually, expectNoneLeft, liveProcesses, makeApp, type Amnesia } from './helpers.js';

const tmpdirOf = (out: string): string => /TMPDIR=(\S+)/.exec(out)?.[1] ?? '';

describe('no process left behind', () => {
  test('graceful stop reaches a grandchild started by a shell line and SIGKILLs a child that ignores SIGTERM', async () => {
    const app = makeApp({
      Procfile: (a) =>
        `app: ${a.node('tick.mjs')} & ${a.node('ignore-term.mjs')}\nworker: ${a.node('env-worker.mjs')}\n`,
    });
    const run = amnesia(['start', '-m', 'app=1', '-t', '1s'], { cwd: app.dir });
    await run.waitFor(/stubborn up/);
    await run.waitFor(/tick-start/);
    await run.waitFor(/worker\.1 +\| env/);
    expect(liveProcesses(app.dir).length).toBeGreaterThanOrEqual(3);
    run.signal('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(
      /app\.1 +\| sending SIGKILL to pid \d+ and its group \(still running 1000ms after SIGTERM\)/,
    );
    // the shell ended on SIGTERM, but what stopped the instance was the SIGKILL: the last line says so
    expect(run.stdout()).toMatch(/app\.1 +\| killed by SIGKILL: its group outlived SIGTERM by 1s/);
    expect(run.stdout()).not.toMatch(/app\.1 +\| terminated by SIGTERM/);
    expectNoneLeft(app.dir);
  });

  test('SIGKILL of the manager: the watchdog reaps every process group and the temp dirs', async () => {
    const app = makeApp({
      Procfile: (a) =>
        `app: ${a.node('tick.mjs')} & ${a.node('ignore-term.mjs')}\nworker: ${a.node('env-worker.mjs')}\n`,
    });
    const run = amnesia(['start', '-m', 'app=2', '-t', '1s'], { cwd: app.dir });
    await run.waitFor(/app\.2 +\| stubborn up/);
    await run.waitFor(/app\.1 +\| stubborn up/);
    await run.waitFor(/worker\.1 +\| env/);
    const tmp = tmpdirOf(run.stdout());
    expect(existsSync(tmp)).toBe(true);
    expect(liveProcesses(app.dir).length).toBeGreaterThanOrEqual(5);
    run.signal('SIGKILL');
    await run.exited;
    await eventually(() => liveProcesses(app.dir).length === 0, 10_000, 'every instance to be reaped');
    await eventually(() => !existsSync(tmp), 5_000, 'the temp dir to be removed');
  });

  test('a second Ctrl-C kills at once', async () => {
    const app = makeApp({ Procfile: (a) => `stubborn: ${a.node('ignore-term.mjs')}\n` });
    const run = amnesia(['start', '-t', '60s'], { cwd: app.dir });
    await run.waitFor(/stubborn up/);
    run.signal('SIGINT');
    await run.waitFor(/ignoring SIGTERM/);
    run.signal('SIGINT');
    // killed, not stopped: 130 (as when the kill comes first), whatever the order
    expect((await run.exited).code).toBe(130);
    expect(run.stdout()).toMatch(/SIGINT received again, killing everything/);
    expectNoneLeft(app.dir);
  });

  test('SIGTERM to the manager stops everything gracefully', async () => {
    const app = makeApp({ Procfile: (a) => `worker: ${a.node('tick.mjs')}\n` });
    const run = amnesia(['start'], { cwd: app.dir });
    await run.waitFor(/tick 1/);
    run.signal('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toMatch(/worker\.1 +\| (exited with code 0|terminated by SIGTERM)/);
    expectNoneLeft(app.dir);
  });
});

describe('descendants that leave the process group (setsid)', () => {
  const procfile = (marker: string): string =>
    `escape: setsid sh -c 'echo escaped; exec sleep ${marker}' & exec sleep 3600\n`;
  const escaped = (marker: string): number[] => liveProcesses(`sleep ${marker}`);
  // a run whose instance has started a process that left its group, once that process is up
  const startEscapee = async (): Promise<{ run: Amnesia; marker: string }> => {
    const marker = String(900_000 + Math.floor(Math.random() * 99_999));
    const app = makeApp({ Procfile: procfile(marker) });
    const run = amnesia(['start', '-t', '1s'], { cwd: app.dir });
    await run.waitFor(/escape\.1 +\| escaped/);
    await eventually(() => escaped(marker).length === 1, 5000, 'the escaped process to start');
    return { run, marker };
  };

  test('a graceful stop finds and stops them', async () => {
    const { run, marker } = await startEscapee();
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expect(escaped(marker)).toEqual([]);
  });

  test('SIGKILL of the manager: the watchdog finds and stops them', async () => {
    const { run, marker } = await startEscapee();
    run.signal('SIGKILL');
    await run.exited;
    await eventually(() => escaped(marker).length === 0, 10_000, 'the watchdog to stop the escaped process');
  });
});
