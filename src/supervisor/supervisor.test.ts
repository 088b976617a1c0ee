import { describe, expect, test } from 'vitest';

import { supervised } from '../../test/fakes/supervised.js';

const PROCFILE = 'web: node web.js\nworker: node worker.js\n';

describe('Supervisor on a fake OS and a virtual clock', () => {
  test('backoff doubles from 1s to the 30s cap while instances keep dying young, and starts over after a stable run', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { worker: 1 });
    await supervisor.start();
    // each instance lives 20 s (young: under 30 s), so the crash-loop window (5 in 60 s) is never reached
    for (let i = 0; i < 7; i++) {
      await clock.advance(20_000);
      os.last('worker.1').exit(1);
      await clock.until(() => os.of('worker.1').length === i + 2);
    }
    expect(of('instance:exited').map((e) => e.restartInMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(of('type:crash-looping')).toEqual([]);
    // a run of 30 s or more was healthy: the next crash waits 1 s again
    await clock.advance(30_000);
    os.last('worker.1').exit(1);
    await clock.until(() => of('instance:exited').length === 8);
    expect(of('instance:exited')[7]?.restartInMs).toBe(1000);
  });

  test('a retry waits its backoff on the clock: not spawned a moment before, spawned at it', async () => {
    const { clock, os, supervisor } = supervised(PROCFILE, { worker: 1 });
    await supervisor.start();
    os.last('worker.1').exit(3);
    await clock.advance(999);
    expect(os.of('worker.1')).toHaveLength(1);
    await clock.advance(1);
    expect(os.of('worker.1')).toHaveLength(2);
    expect(os.last('worker.1').spawnedAt - os.of('worker.1')[0]!.spawnedAt).toBe(1000);
  });

  test('five crashes within a minute: the type is crash looping, reported once, not retried; a restart by hand forgives it', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { worker: 1 });
    await supervisor.start();
    // dying at once, the retries come at 1, 3, 7 and 15 s: five crashes within the minute
    for (let i = 0; i < 5; i++) {
      os.last('worker.1').exit(1);
      await clock.until(() => of('instance:exited').length === i + 1);
      if (i < 4) await clock.until(() => os.of('worker.1').length === i + 2);
    }
    expect(of('type:crash-looping')).toMatchObject([{ type: 'worker', crashes: 5 }]);
    expect(of('instance:exited').at(-1)?.restartInMs).toBeUndefined();
    await clock.advance(300_000);
    expect(os.of('worker.1')).toHaveLength(5);
    await supervisor.restart('worker.1', 'restart requested');
    expect(os.of('worker.1')).toHaveLength(6);
    os.last('worker.1').exit(1);
    await clock.until(() => of('instance:exited').length === 6);
    expect(of('instance:exited').at(-1)?.restartInMs).toBe(1000);
  });

  test('a routed restart is replacement first: the new instance is ready before the old one is drained and signalled', async () => {
    const { clock, os, supervisor, events } = supervised(PROCFILE, { web: 1 });
    const order: string[] = [];
    supervisor.drainHook = {
      inFlight: () => 2,
      drain: async (instance) => {
        order.push(`drain ${instance.spec.uid}`);
        await clock.sleep(300);
      },
    };
    await supervisor.start();
    const old = os.last('web.1');
    const restarted = supervisor.restart('web.1', 'restart requested');
    await clock.advance(1000);
    await restarted;
    const fresh = os.last('web.1');
    expect(fresh).not.toBe(old);
    expect(order).toEqual(['drain 1']);
    expect(old.signals).toEqual(['SIGTERM']);
    expect(fresh.signals).toEqual([]);
    const kinds = events.map((e) => `${e.kind}${'uid' in e ? ` ${e.uid}` : ''}`);
    expect(kinds.indexOf('instance:ready 2')).toBeLessThan(kinds.indexOf('instance:draining 1'));
    expect(kinds.indexOf('instance:draining 1')).toBeLessThan(kinds.indexOf('instance:signalled 1'));
    expect(supervisor.instances().map((i) => i.spec.uid)).toEqual([2]);
  });

  test('a drain that never ends is cut at the drain timeout, then the old instance is stopped', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { web: 1 }, { drainTimeoutMs: 10_000 });
    supervisor.drainHook = { inFlight: () => 1, drain: () => new Promise(() => undefined) };
    await supervisor.start();
    const restarted = supervisor.restart('web.1', 'restart requested');
    await clock.advance(9_990);
    expect(os.of('web.1')[0]!.signals).toEqual([]);
    await clock.advance(10);
    await restarted;
    expect(os.of('web.1')[0]!.signals).toEqual(['SIGTERM']);
    expect(of('restart:finished')).toMatchObject([{ ok: true }]);
  });

  test('a replacement that never gets ready is stopped and the old instance keeps serving', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { web: 1 }, { readyTimeoutMs: 2000 });
    await supervisor.start();
    os.behaviours.set('web', { listens: false });
    const restarted = supervisor.restart('web.1', 'restart requested');
    await clock.advance(2100);
    await restarted;
    expect(of('restart:finished')).toMatchObject([
      { ok: false, detail: 'the replacement never got ready; the old instance keeps serving' },
    ]);
    expect(os.of('web.1')[0]!.signals).toEqual([]);
    expect(os.of('web.1')[1]!.signals).toEqual(['SIGTERM']);
    expect(supervisor.instances().map((i) => i.spec.uid)).toEqual([1]);
  });

  test('a group that ignores SIGTERM is SIGKILLed at the stop timeout, and its exit says so', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { worker: 1 }, { stopTimeoutMs: 3000 });
    os.behaviours.set('worker', { ignoresTerm: true });
    await supervisor.start();
    const stopped = supervisor.stopAll('stopping');
    await clock.advance(2990);
    expect(os.last('worker.1').signals).toEqual(['SIGTERM']);
    await clock.advance(20);
    await stopped;
    expect(os.last('worker.1').signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(of('instance:signalled').map((e) => [e.signal, e.reason])).toEqual([
      ['SIGTERM', 'stopping'],
      ['SIGKILL', 'still running 3000ms after SIGTERM'],
    ]);
    expect(of('instance:exited')).toMatchObject([{ state: 'stopped', killedAfterMs: 3000 }]);
  });

  test('a stop where the shell ends on SIGTERM but its child does not: the exit says SIGKILL ended it', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { worker: 1 }, { stopTimeoutMs: 1000 });
    os.behaviours.set('worker', { leavesChild: true });
    await supervisor.start();
    const stopped = supervisor.stopAll('stopping');
    await clock.advance(1100);
    await stopped;
    expect(of('instance:exited')).toMatchObject([{ signal: 'SIGTERM', killedAfterMs: 1000, state: 'stopped' }]);
  });

  test('a crash whose child outlives the shell: the group is stopped before the instance counts as exited', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { worker: 1 }, { stopTimeoutMs: 3000 });
    os.behaviours.set('worker', { leavesChild: true });
    await supervisor.start();
    os.last('worker.1').exit(1);
    await clock.advance(2990);
    expect(of('instance:exited')).toEqual([]);
    await clock.advance(100);
    expect(os.of('worker.1')[0]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(of('instance:exited')).toMatchObject([
      { code: 1, killedAfterMs: 3000, state: 'crashed', restartInMs: 1000 },
    ]);
  });

  test('scaling: up takes the next numbers, down stops the highest first, and counts follow', async () => {
    const { os, supervisor } = supervised(PROCFILE, { web: 2, worker: 1 });
    await supervisor.start();
    await supervisor.scale('web', 4);
    expect(supervisor.instances().map((i) => i.spec.name)).toEqual(['web.1', 'web.2', 'worker.1', 'web.3', 'web.4']);
    await supervisor.scale('web', 1);
    expect(os.last('web.4').signals).toEqual(['SIGTERM']);
    expect(os.last('web.2').signals).toEqual(['SIGTERM']);
    expect(os.last('web.1').signals).toEqual([]);
    expect(supervisor.count('web')).toBe(1);
    expect(supervisor.types()).toEqual(['web', 'worker']);
  });

  test('stop by hand: a routed instance is drained, then stopped, and stays stopped (no retry); start brings it back', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { web: 2 });
    const drained: number[] = [];
    supervisor.drainHook = { inFlight: () => 0, drain: async (i) => void drained.push(i.spec.uid) };
    await supervisor.start();
    await supervisor.stopInstance('web.2');
    expect(drained).toEqual([2]);
    expect(os.last('web.2').signals).toEqual(['SIGTERM']);
    expect(of('instance:exited')).toMatchObject([{ name: 'web.2', state: 'stopped' }]);
    await clock.advance(120_000);
    expect(os.of('web.2')).toHaveLength(1);
    expect(supervisor.isRunning('web.2')).toBe(false);
    expect(supervisor.count('web')).toBe(2);
    await supervisor.startInstance('web.2');
    expect(os.of('web.2')).toHaveLength(2);
    expect(supervisor.isRunning('web.2')).toBe(true);
    // starting a running instance, or stopping a stopped one, does nothing
    await supervisor.startInstance('web.1');
    expect(os.of('web.1')).toHaveLength(1);
  });

  test('a crash-looping type revived by hand: its crashes are forgotten and every crashed instance starts again', async () => {
    const { clock, os, supervisor, of } = supervised(PROCFILE, { worker: 2 });
    await supervisor.start();
    for (let i = 0; i < 5; i++) {
      os.last('worker.1').exit(1);
      await clock.until(() => of('instance:exited').length === 2 * i + 1);
      os.last('worker.2').exit(1);
      await clock.until(() => of('instance:exited').length === 2 * i + 2);
      if (of('type:crash-looping').length === 0) await clock.until(() => os.of('worker.2').length === i + 2);
      else break;
    }
    expect(of('type:crash-looping')).toHaveLength(1);
    await clock.advance(300_000);
    const before = [os.of('worker.1').length, os.of('worker.2').length];
    await supervisor.reviveType('worker');
    expect([os.of('worker.1').length, os.of('worker.2').length]).toEqual(before.map((n) => n + 1));
    os.last('worker.1').exit(1);
    await clock.until(() => of('instance:exited').at(-1)?.name === 'worker.1');
    expect(of('instance:exited').at(-1)?.restartInMs).toBe(1000);
  });

  test('shutdown: a pending retry never fires, every group is signalled once, nothing is left running', async () => {
    const { clock, os, supervisor } = supervised(PROCFILE, { web: 2, worker: 2 });
    await supervisor.start();
    os.last('worker.2').exit(1);
    await clock.advance(10);
    expect(clock.pending).toBeGreaterThan(0);
    await supervisor.stopAll('stopping');
    await clock.advance(60_000);
    expect(os.of('worker.2')).toHaveLength(1);
    expect(os.running()).toEqual([]);
    expect(os.spawned.map((p) => p.signals.length)).toEqual([1, 1, 1, 0]);
    expect(os.dirs.size).toBe(0);
  });

  test('shutdown during a routed restart: the replacement still starting is stopped too, nothing is left running', async () => {
    const { clock, os, supervisor } = supervised(PROCFILE, { web: 1 });
    await supervisor.start();
    os.behaviours.set('web', { listens: false });
    const restarted = supervisor.restart('web.1', 'restart requested');
    await clock.until(() => os.of('web.1').length === 2);
    const stopped = supervisor.stopAll('stopping');
    // it gets ready while the run stops
    os.last('web.1').listening = true;
    await clock.advance(60_000);
    await Promise.all([stopped, restarted]);
    expect(os.running()).toEqual([]);
    expect(os.of('web.1').map((p) => p.signals)).toEqual([['SIGTERM'], ['SIGTERM']]);
  });

  test('workers that all finish end the run as ended, with nothing crashed', async () => {
    const done = supervised('a: x\nb: y\n', { a: 1, b: 1 });
    await done.supervisor.start();
    done.os.last('a.1').exit(0);
    done.os.last('b.1').exit(0);
    await done.clock.advance(10);
    expect(done.fatal).toMatchObject([
      { outcome: { kind: 'ended', crashed: false }, reason: 'every instance has finished' },
    ]);
    expect(done.of('instance:exited').map((e) => e.state)).toEqual(['done', 'done']);
  });

  test('a command not found (127) is fatal with the Procfile line; no retry is scheduled', async () => {
    const { clock, os, supervisor, fatal } = supervised(PROCFILE, { worker: 1 });
    await supervisor.start();
    os.last('worker.1').exit(127);
    await clock.advance(60_000);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.outcome).toMatchObject({ kind: 'failed', error: { code: 'COMMAND_FAILED', where: 'Procfile:2' } });
    expect(os.of('worker.1')).toHaveLength(1);
  });

  test('--exit-on-crash: the child’s exit, with its code or signal, ends the run', async () => {
    const coded = supervised(PROCFILE, { worker: 1 }, { exitOnCrash: true });
    await coded.supervisor.start();
    coded.os.last('worker.1').exit(3);
    await coded.clock.advance(10);
    expect(coded.fatal).toMatchObject([{ outcome: { kind: 'instance-exited', name: 'worker.1', code: 3 } }]);
    const signalled = supervised(PROCFILE, { worker: 1 }, { exitOnCrash: true });
    await signalled.supervisor.start();
    signalled.os.last('worker.1').exit(null, 'SIGSEGV');
    await signalled.clock.advance(10);
    expect(signalled.fatal).toMatchObject([{ outcome: { kind: 'instance-exited', signal: 'SIGSEGV' } }]);
  });

  test('a temp dir that cannot be made: nothing is spawned and the error says TMPDIR', async () => {
    const { clock, os, supervisor, fatal } = supervised(PROCFILE, { worker: 1 });
    os.failMakeDir = 'EACCES: permission denied';
    await supervisor.start();
    await clock.advance(10);
    expect(os.spawned).toEqual([]);
    expect(fatal[0]?.outcome.kind === 'failed' && fatal[0].outcome.error.message).toMatch(
      /worker\.1 could not be started: its temp dir cannot be made \(EACCES/,
    );
  });

  test('start-up: an instance that never listens is a NEVER_READY error naming its port', async () => {
    const { clock, os, supervisor } = supervised(PROCFILE, { web: 1 }, { readyTimeoutMs: 5000 });
    os.behaviours.set('web', { listens: false });
    const started = supervisor.start();
    const failed = expect(started).rejects.toMatchObject({
      code: 'NEVER_READY',
      message: /web\.1 did not accept connections on port \d+ within 5s/,
    });
    await clock.advance(5100);
    await failed;
  });
});
