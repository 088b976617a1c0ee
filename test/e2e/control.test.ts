import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { amnesia, amnesiaDone, eventually, freeBasePort, makeApp, type App } from './helpers.js';

interface PsRow {
  name: string;
  pid: number;
  state: string;
  restarts: number;
  requests: number;
  cpu: number | null;
  rss: number | null;
}

async function ps(app: App): Promise<PsRow[]> {
  const { code, stdout, stderr } = await amnesiaDone(['ps', '--json'], { cwd: app.dir });
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as PsRow[];
}

const row = (rows: PsRow[], name: string): PsRow | undefined => rows.find((r) => r.name === name);

async function until(app: App, what: string, test: (rows: PsRow[]) => boolean): Promise<PsRow[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const rows = await ps(app);
    if (test(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(rows)}`);
  }
}

const socketOf = (app: App): string => join(app.dir, '.amnesia', 'control.sock');

async function started(): Promise<{ app: App; run: ReturnType<typeof amnesia>; url: string }> {
  const app = makeApp({
    Procfile: (a) => `web: ${a.node('web.mjs')}\nworker: ${a.node('tick.mjs')}\n`,
  });
  const port = await freeBasePort();
  const run = amnesia(['start', '-m', 'web=2', '-p', String(port), '--no-restart'], { cwd: app.dir });
  const [, url = ''] = await run.waitFor(/→ (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitFor(/all instances started/);
  return { app, run, url };
}

describe('the control socket, from a second process', () => {
  test('ps, restart, stop, start again, scale and logs act on the running start; the socket is private and goes with it', async () => {
    const { app, run, url } = await started();
    // only the user who started amnesia may talk to it
    expect(statSync(socketOf(app)).mode & 0o777).toBe(0o600);
    expect(statSync(join(app.dir, '.amnesia')).mode & 0o777).toBe(0o700);

    // ps: one row per instance with the pids the run printed, then CPU and memory once sampled
    const first = await until(app, 'usage figures', (rows) => rows.every((r) => r.rss !== null && r.cpu !== null));
    expect(first.map((r) => [r.name, r.state])).toEqual([
      ['web.1', 'ready'],
      ['web.2', 'ready'],
      ['worker.1', 'ready'],
    ]);
    for (const r of first) {
      expect(run.stdout()).toContain(`${r.name.padEnd(8)} | started with pid ${r.pid} `);
      expect(r.rss).toBeGreaterThan(1024 * 1024);
    }
    const table = await amnesiaDone(['ps'], { cwd: app.dir });
    expect(table.stdout).toMatch(
      /^NAME +PID +PORT +STATE +UPTIME +RESTARTS +REQUESTS +ERRORS +CPU% +RSS +REQ\/S +P50 +P99\n/,
    );
    // no request yet: no rate, no latency
    expect(table.stdout).toMatch(/\nweb\.1 +\d+ +\d+ +ready +\d+s +0 +0 +0 +[\d.]+ +[\d.]+M +0\.0 +- +-\n/);

    // requests through the router are counted per instance
    for (let i = 0; i < 10; i++) await (await fetch(`${url}/slow?ms=1`)).text();
    const counted = await until(app, 'request counts', (rows) => rows.reduce((sum, r) => sum + r.requests, 0) === 10);
    expect(counted.filter((r) => r.name.startsWith('web')).reduce((sum, r) => sum + r.requests, 0)).toBe(10);

    // restart NAME: returns once the replacement serves
    const restarted = await amnesiaDone(['restart', 'web.1'], { cwd: app.dir });
    expect([restarted.code, restarted.stdout]).toEqual([0, 'restarted web.1\n']);
    const after = await ps(app);
    expect(row(after, 'web.1')).toMatchObject({ state: 'ready', restarts: 1 });
    expect(row(after, 'web.1')?.pid).not.toBe(row(first, 'web.1')?.pid);

    // logs -f follows while another shell acts
    const follow = amnesia(['logs', '-f', 'worker'], { cwd: app.dir });
    await follow.waitFor(/worker\.1 +\| tick-start pid \d+/);
    // stop NAME leaves it stopped; restart NAME starts it again
    const stopped = await amnesiaDone(['stop', 'worker.1'], { cwd: app.dir });
    expect([stopped.code, stopped.stdout]).toEqual([0, 'stopped worker.1\n']);
    expect(row(await ps(app), 'worker.1')?.state).toBe('stopped');
    await follow.waitFor(/worker\.1 +\| sending SIGTERM to pid \d+ and its group \(stopped by hand\)/);
    expect((await amnesiaDone(['restart', 'worker.1'], { cwd: app.dir })).code).toBe(0);
    await until(app, 'worker.1 to run again', (rows) => row(rows, 'worker.1')?.state === 'ready');
    await follow.waitFor(/(tick-start pid \d+[\s\S]*){2}/);
    // the web instances' lines are not the worker's
    expect(follow.stdout()).not.toMatch(/web\.\d/);

    // scale TYPE=N
    const scaled = await amnesiaDone(['scale', 'web=3'], { cwd: app.dir });
    expect([scaled.code, scaled.stdout]).toEqual([0, 'scaled web=3\n']);
    await until(app, 'web.3', (rows) => row(rows, 'web.3')?.state === 'ready');

    // logs: the buffered lines of one instance, the last N of them
    const logs = await amnesiaDone(['logs', 'web.3'], { cwd: app.dir });
    expect(logs.stdout).toMatch(/^web\.3 +\| started with pid \d+/);
    expect(logs.stdout).toMatch(/\nweb\.3 +\| ready on port \d+/);
    expect(logs.stdout).not.toMatch(/web\.[12]/);
    const last = await amnesiaDone(['logs', '-n', '1', 'web.3'], { cwd: app.dir });
    expect(last.stdout.trimEnd().split('\n')).toHaveLength(1);

    // wrong names: exit 2, nothing done, a suggestion
    const wrong = await amnesiaDone(['restart', 'wbe'], { cwd: app.dir });
    expect([wrong.code, wrong.stderr]).toEqual([
      2,
      expect.stringMatching(/no instance or type named "wbe"[\s\S]*did you mean web\?/),
    ]);
    const instance = await amnesiaDone(['scale', 'web.1=2'], { cwd: app.dir });
    expect([instance.code, instance.stderr]).toEqual([2, expect.stringMatching(/"web\.1=2" is not TYPE=N/)]);

    // when the run stops: the follower ends, the socket and the run folder are gone, and ps says so
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expect((await follow.exited).code).toBe(0);
    expect(existsSync(join(app.dir, '.amnesia'))).toBe(false);
    const none = await amnesiaDone(['ps'], { cwd: app.dir });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/no amnesia start is running in /)]);
  });

  test('a second start in the same root is refused and the first one keeps running; a killed manager leaves no socket', async () => {
    const { app, run } = await started();
    const second = await amnesiaDone(['start', '-m', 'web=1', '-p', String(await freeBasePort())], { cwd: app.dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      /amnesia start is already running in .*\n.*hint: control it from here with amnesia ps/,
    );
    expect((await ps(app)).map((r) => r.state)).toEqual(['ready', 'ready', 'ready']);
    run.signal('SIGKILL');
    await run.exited;
    await eventually(() => !existsSync(join(app.dir, '.amnesia')), 10_000, 'the watchdog to remove the run folder');
  });

  test('a stale socket (its manager was killed before it could clean up) is detected by clients and by the next start', async () => {
    const app = makeApp({ Procfile: (a) => `worker: ${a.node('tick.mjs')}\n` });
    const leaveStale = async (): Promise<void> => {
      mkdirSync(join(app.dir, '.amnesia'), { recursive: true });
      const script = `require('net').createServer().listen(${JSON.stringify(socketOf(app))}, () => process.kill(process.pid, 'SIGKILL'))`;
      await new Promise((done) => spawn(process.execPath, ['-e', script]).once('close', done));
      expect(existsSync(socketOf(app))).toBe(true);
    };
    await leaveStale();
    const client = await amnesiaDone(['ps'], { cwd: app.dir });
    expect(client.code).toBe(2);
    expect(client.stderr).toMatch(
      /no amnesia start is running in [\s\S]*control\.sock was left by one that did not stop/,
    );
    expect(existsSync(socketOf(app))).toBe(false);

    await leaveStale();
    const run = amnesia(['start'], { cwd: app.dir });
    await run.waitFor(/warning: removed .*control\.sock: a run that did not stop left it/);
    await run.waitFor(/worker\.1 +\| tick-start/);
    expect((await ps(app)).map((r) => r.name)).toEqual(['worker.1']);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});
