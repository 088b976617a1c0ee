import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

import { Watchdog } from '../../src/supervisor/watchdog.js';
import { eventually, liveProcesses, makeApp, type App } from './helpers.js';

const SCRIPT = fileURLToPath(new URL('../../src/supervisor/watchdog.sh', import.meta.url));

interface Group {
  pgid: number;
  running(): boolean;
}

// `node <script>` under a shell in its own process group, as the supervisor starts instances; resolves once
// the script printed its first line.
async function group(app: App, script: string): Promise<Group> {
  const child = spawn('/bin/sh', ['-c', app.node(script)], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((ready) => child.stdout!.once('data', ready));
  return { pgid: child.pid!, running: () => liveProcesses(join(app.dir, script)).length > 0 };
}

// how many bytes the process has read so far (the shell reads its stdin one byte at a time)
const bytesRead = (pid: number): number =>
  Number(/rchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))?.[1] ?? 0);

// whether the process has a handler for SIGTERM (bit 15 of SigCgt): the script's `trap` is in place
const catchesTerm = (pid: number): boolean => {
  const mask = /SigCgt:\s+([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? '0';
  return (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
};

describe('watchdog (the real script, real process groups)', () => {
  test('when the manager goes away it stops the groups and removes the dirs still listed, and only those', async () => {
    const app = makeApp({});
    const [tracked, untracked, stubborn] = [
      await group(app, 'tick.mjs'),
      await group(app, 'env-worker.mjs'),
      await group(app, 'ignore-term.mjs'),
    ];
    const [reaped, kept] = [join(app.dir, 'reaped dir'), join(app.dir, 'kept')];
    mkdirSync(reaped);
    mkdirSync(kept);
    const watchdog = new Watchdog(300);
    for (const g of [tracked, untracked, stubborn]) watchdog.trackGroup(g.pgid);
    watchdog.untrackGroup(untracked.pgid);
    watchdog.untrackGroup(424242); // never tracked: changes nothing
    watchdog.trackDir(reaped);
    watchdog.trackDir(kept);
    watchdog.untrackDir(kept);
    watchdog.close();
    await eventually(
      () => !tracked.running() && !stubborn.running() && !existsSync(reaped),
      10_000,
      'the tracked groups and dir to be reaped',
    );
    expect(untracked.running()).toBe(true);
    expect(existsSync(kept)).toBe(true);
  });

  test('SIGTERM makes it reap at once; a group that ignores SIGTERM gets SIGKILL after the stop timeout', async () => {
    const app = makeApp({});
    const stubborn = await group(app, 'ignore-term.mjs');
    const watchdog = spawn('/bin/sh', [SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((done) => watchdog.once('exit', done));
    await eventually(() => catchesTerm(watchdog.pid!), 5000, 'the watchdog to trap SIGTERM');
    // SIGTERM must come after the script has read the group, or there is nothing to reap
    const before = bytesRead(watchdog.pid!);
    const input = `t 200\n+g ${stubborn.pgid}\n`;
    watchdog.stdin.write(input);
    await eventually(() => bytesRead(watchdog.pid!) >= before + input.length, 5000, 'the watchdog to read its input');
    watchdog.kill('SIGTERM');
    await exited;
    expect(stubborn.running()).toBe(false);
    watchdog.stdin.destroy();
  });

  test('its cost does not grow with groups x processes: one pass over /proc per poll, whatever the number of groups', async () => {
    const app = makeApp({});
    // 60 groups that ignore SIGTERM, so the watchdog polls them until the stop timeout and then SIGKILLs them
    const groups = await Promise.all(
      Array.from({ length: 60 }, () => {
        const child = spawn('/bin/sh', ['-c', `trap '' TERM; echo up; while :; do sleep 1; done # ${app.dir}`], {
          detached: true,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        return new Promise<number>((ready) => child.stdout!.once('data', () => ready(child.pid!)));
      }),
    );
    // every awk the script runs leaves a line in a log
    const bin = join(app.dir, 'bin');
    const log = join(app.dir, 'awk.log');
    mkdirSync(bin);
    writeFileSync(join(bin, 'awk'), `#!/bin/sh\necho x >> '${log}'\nexec /usr/bin/awk "$@"\n`);
    chmodSync(join(bin, 'awk'), 0o755);
    const watchdog = spawn('/bin/sh', [SCRIPT], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    const exited = new Promise((done) => watchdog.once('exit', done));
    watchdog.stdin.end(`t 500\n${groups.map((pgid) => `+g ${pgid}`).join('\n')}\n`);
    await exited;
    await eventually(() => liveProcesses(app.dir).length === 0, 10_000, 'every group to be killed');
    // ~10 polls in 500 ms: a pass per group per poll would be hundreds of runs
    const runs = existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0;
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThan(30);
  });
});
