import { existsSync } from 'node:fs';

import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';

import { appConfig, quietWatchdog, removeApps } from '../../test/fakes/app.js';
import { FakeClock } from '../../test/fakes/clock.js';
import { FakeProcesses } from '../../test/fakes/processes.js';
import type { RunEvent } from '../events/types.js';
import { startRun } from './create-run.js';
import { RequestTally } from './request-counts.js';

afterEach(removeApps);

function fakeRun(procfile: string, flags: Record<string, unknown> = {}, basePort?: number) {
  const clock = new FakeClock();
  const os = new FakeProcesses(clock);
  const watchdog = quietWatchdog();
  const config = appConfig(procfile, { seed: 7, ...flags });
  const planned = basePort === undefined ? config : { ...config, basePort };
  const { run, internals } = startRun(planned, { control: os, clock, watchdog });
  const events: RunEvent[] = [];
  run.events.subscribe((e) => events.push(e));
  return { clock, os, watchdog, run, internals, events };
}

describe('a run wired on a fake OS and a virtual clock', () => {
  test('start, a crash retried on the clock, a graceful stop: every group signalled, the temp root gone', async () => {
    const { clock, os, run, events, watchdog } = fakeRun('worker: node worker.js\nclock: node clock.js\n');
    await run.start();
    expect(events.map((e) => e.kind)).toContain('run:ready');
    os.last('worker.1').exit(1);
    await clock.advance(1000);
    expect(os.of('worker.1')).toHaveLength(2);
    const tmpRoot = (watchdog.told.find((t) => t.startsWith('+d ')) ?? '').slice(3);
    expect(existsSync(tmpRoot)).toBe(true);
    expect(await clock.drive(run.controls.stop('test over'))).toEqual({ kind: 'stopped' });
    expect(os.running()).toEqual([]);
    expect(existsSync(tmpRoot)).toBe(false);
    expect(watchdog.told.at(-1)).toBe('close');
    expect(events.at(-1)).toEqual({ kind: 'run:stopped', outcome: { kind: 'stopped' } });
  });

  test('a kill after a graceful stop began is "killed", whatever the order (it was "stopped" before)', async () => {
    const { clock, os, run } = fakeRun('worker: node worker.js\n', { timeout: 5 });
    os.behaviours.set('worker', { ignoresTerm: true });
    await run.start();
    const stopping = run.controls.stop('q pressed');
    await clock.until(() => os.last('worker.1').signals.length === 1);
    const killed = run.controls.kill('q pressed twice');
    expect(await clock.drive(killed)).toEqual({ kind: 'killed' });
    expect(await stopping).toEqual({ kind: 'killed' });
    expect(os.last('worker.1').signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  test('a command not found ends the run as failed, with the user error and its Procfile line', async () => {
    const { clock, os, run } = fakeRun('worker: nosuchprogram\n');
    await run.start();
    os.last('worker.1').exit(127);
    await clock.advance(10);
    const outcome = await clock.drive(run.finished);
    expect(outcome.kind).toBe('failed');
    expect(run.failure).toMatchObject({ code: 'COMMAND_FAILED', where: 'Procfile:1' });
  });

  test('--exit-on-crash: the crashed instance is the outcome, and the others are stopped', async () => {
    const { clock, os, run } = fakeRun('a: x\nb: y\n', { exitOnCrash: true });
    await run.start();
    os.last('a.1').exit(4);
    await clock.advance(10);
    expect(await clock.drive(run.finished)).toEqual({ kind: 'instance-exited', name: 'a.1', code: 4, signal: null });
    expect(os.last('b.1').signals).toEqual(['SIGTERM']);
  });

  test('the scheduler tells when the next restart is due, on the run clock', async () => {
    const { clock, run, events } = fakeRun('web: node web.js\n', { restartEvery: 10 }, 0);
    await run.start();
    const armed = events.filter((e) => e.kind === 'chaos:armed');
    expect(armed).toHaveLength(1);
    const at = (armed[0] as { at: number }).at;
    // waits are drawn between 0.5x and 1.5x of --restart-every
    expect(at - clock.now()).toBeGreaterThanOrEqual(5000);
    expect(at - clock.now()).toBeLessThanOrEqual(15_000);
    await clock.drive(run.controls.stop('test over'));
    expect(events.filter((e) => e.kind === 'chaos:armed').at(-1)).toEqual({ kind: 'chaos:armed', at: undefined });
  });
  test('a routed type that crash loops: the router answers 503 at once, with its last output (real socket)', async () => {
    const procfile = 'web: node web.js\nsteady: node steady.js\n';
    const { clock, os, run, events } = fakeRun(procfile, { formation: 'web=2,steady=1', restart: false }, 0);
    await run.start();
    // the instances die young with the same complaint until the type is given up on
    while (!events.some((e) => e.kind === 'type:crash-looping')) {
      for (const p of [os.last('web.1'), os.last('web.2')].filter((p) => !p.exitedShell)) {
        p.print('cannot connect to the database');
        p.exit(1);
      }
      await clock.advance(20_000);
    }
    const res = await request(`${run.urls().get('web')}/`, { headersTimeout: 5000 });
    expect(res.statusCode).toBe(503);
    expect(await res.body.text()).toMatch(
      /^amnesia: every web instance is crash looping \(5 crashes within 60s\) and is no longer restarted\nlast output:\n {2}cannot connect to the database/,
    );
    await clock.drive(run.controls.stop('test over'));
  });
});

describe('request counts', () => {
  test('by status and by instance, "(router)" when none answered, latency per instance that answered; a snapshot does not change with later requests', () => {
    const done = (instance: string | undefined, status: number, durationMs = 4) =>
      ({
        ...{ kind: 'request:done', status, durationMs },
        instance: instance && { name: instance, type: 'web', uid: 1 },
      }) as never;
    const tally = new RequestTally();
    expect(tally.snapshot()).toEqual({ total: 0, byStatus: {}, byInstance: {}, latencyMs: {} });
    tally.add(done('web.1', 200));
    const one = tally.snapshot();
    for (const event of [done('web.2', 200, 0.25), done(undefined, 503), done('web.1', 200, 100)]) tally.add(event);
    const all = tally.snapshot();
    expect(all).toMatchObject({
      total: 4,
      byStatus: { '200': 3, '503': 1 },
      byInstance: { 'web.1': { '200': 2 }, 'web.2': { '200': 1 }, '(router)': { '503': 1 } },
    });
    expect(Object.keys(all.latencyMs)).toEqual(['web.1', 'web.2']);
    expect(all.latencyMs['web.1']).toMatchObject({ count: 2, max: 100 });
    expect(all.latencyMs['web.1']?.p50).toBeCloseTo(4, 1);
    expect(all.latencyMs['web.2']).toEqual({ count: 1, p50: 0.25, p90: 0.25, p99: 0.25, max: 0.25 });
    expect(one).toMatchObject({ total: 1, byStatus: { '200': 1 }, byInstance: { 'web.1': { '200': 1 } } });
    expect(one.latencyMs['web.1']?.count).toBe(1);
  });
});
