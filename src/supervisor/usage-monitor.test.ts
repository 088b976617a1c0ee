import { describe, expect, onTestFinished, test } from 'vitest';

import { InstanceRows } from '../events/instance-rows.js';
import { supervised } from '../../test/fakes/supervised.js';
import { UsageMonitor } from './usage-monitor.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { cpuTimeMs, groupUsage, parseStat } from './group-usage.js';

const PROCFILE = 'web: node web.js\nworker: node worker.js\n';

describe('UsageMonitor on a fake OS and a virtual clock', () => {
  test('once a second: CPU as a percent of one core since the last sample, memory of the group; a new process starts over', async () => {
    const { clock, os, supervisor, of, bus } = supervised(PROCFILE, { web: 2, worker: 1 });
    await supervisor.start();
    const instances = () => supervisor.instances();
    const monitor = new UsageMonitor({ control: os, clock, bus, instances }, { usageEveryMs: 1000 });
    monitor.start();
    await clock.advance(1000);
    // the first sample of a process knows its memory, not yet its CPU
    expect(of('instance:usage')).toHaveLength(1);
    expect(of('instance:usage')[0]?.samples.map((s) => [s.name, s.cpu, s.rss])).toEqual([
      ['web.1', undefined, 4 * 1024 * 1024],
      ['web.2', undefined, 4 * 1024 * 1024],
      ['worker.1', undefined, 4 * 1024 * 1024],
    ]);
    os.last('web.1').cpuMs += 250;
    os.last('worker.1').cpuMs += 1500;
    os.last('worker.1').rss = 300 * 1024 * 1024;
    await clock.advance(1000);
    const second = of('instance:usage')[1]?.samples.map((s) => [s.name, s.cpu, s.rss]);
    expect(second).toEqual([
      ['web.1', 25, 4 * 1024 * 1024],
      ['web.2', 0, 4 * 1024 * 1024],
      ['worker.1', 150, 300 * 1024 * 1024],
    ]);
    // a restarted worker is a new process: its CPU time is not compared with the old one's
    os.last('worker.1').exit(1);
    await clock.until(() => os.of('worker.1').length === 2);
    await clock.advance(1000);
    const worker = of('instance:usage')
      .at(-1)
      ?.samples.find((s) => s.name === 'worker.1');
    expect(worker?.uid).toBe(supervisor.instances().find((i) => i.ref.name === 'worker.1')?.ref.uid);
    expect(worker?.cpu).toBeUndefined();
    monitor.stop();
    const count = of('instance:usage').length;
    await clock.advance(5000);
    expect(of('instance:usage')).toHaveLength(count);
  });

  test('the rows take a sample only for the process it was taken of, and forget it when the process ends', () => {
    const rows = new InstanceRows();
    const ref = { name: 'web.1', type: 'web', uid: 1 };
    rows.apply({ ...ref, kind: 'instance:spawned', pid: 10, port: 5000, replacing: false }, 0);
    rows.apply({ kind: 'instance:usage', samples: [{ ...ref, cpu: 12.5, rss: 1024 }] }, 0);
    expect(rows.get('web.1')).toMatchObject({ cpu: 12.5, rss: 1024 });
    rows.apply({ kind: 'instance:usage', samples: [{ ...ref, uid: 7, cpu: 99, rss: 9 }] }, 0);
    expect(rows.get('web.1')).toMatchObject({ cpu: 12.5, rss: 1024 });
    rows.apply({ ...ref, kind: 'instance:ready', pid: 10, port: 5000, bootMs: 5, probed: true }, 0);
    expect(rows.get('web.1')).toMatchObject({ state: 'ready', cpu: 12.5 });
    rows.apply(
      {
        ...ref,
        kind: 'instance:exited',
        pid: 10,
        code: 1,
        signal: null,
        state: 'crashed',
        restartInMs: 1000,
        killedAfterMs: undefined,
      },
      0,
    );
    expect(rows.get('web.1')).toMatchObject({ state: 'crashed', cpu: undefined, rss: undefined });
  });
});

describe('reading the process table', () => {
  test.runIf(process.platform === 'linux')(
    'our own process group: its CPU time and at least our own memory',
    async () => {
      const pgid = parseStat(readFileSync('/proc/self/stat', 'latin1'))?.pgid ?? -1;
      const usage = (await groupUsage([pgid, 999_999_999])).get(pgid);
      expect(usage?.cpuMs).toBeGreaterThan(0);
      expect(usage?.rss).toBeGreaterThanOrEqual(process.memoryUsage.rss() * 0.9);
      expect((await groupUsage([999_999_999])).size).toBe(0);
    },
  );

  test('/proc/PID/stat: a command name with spaces and parentheses, zombies left out', () => {
    const rest = 'S 1 4242 4242 0 -1 4194304 100 0 0 0 150 50 0 0 20 0 1 0 100 1000000 2560';
    expect(parseStat(`4243 (node (my app)) ${rest} 18446744073709551615 1 1`)).toEqual({
      pgid: 4242,
      ticks: 200,
      pages: 2560,
    });
    expect(parseStat(`4243 (sh) Z${rest.slice(1)}`)).toBeUndefined();
    expect(parseStat('')).toBeUndefined();
  });

  test.runIf(process.platform === 'linux')(
    "a group's memory is its leader's and its descendants', also once the leader has exited",
    async () => {
      const node = `${process.execPath} -e "console.log(1); setTimeout(() => {}, 20000)"`;
      const groups = [`${node}; true`, `${node} & exit 0`].map((script) => {
        const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
        onTestFinished(() => void process.kill(-(child.pid ?? 0), 'SIGKILL'));
        return { pgid: child.pid ?? 0, up: new Promise((done) => child.stdout.once('data', done)) };
      });
      await Promise.all(groups.map((g) => g.up));
      const usage = await groupUsage(groups.map((g) => g.pgid));
      // a shell alone is about a megabyte; with its Node.js child, tens of them
      for (const { pgid } of groups) expect(usage.get(pgid)?.rss).toBeGreaterThan(20 * 1024 * 1024);
    },
  );

  test("ps's TIME column: minutes and seconds with hundredths (macOS), hours, days", () => {
    expect(cpuTimeMs('0:00.03')).toBe(30);
    expect(cpuTimeMs('1:02.50')).toBe(62_500);
    expect(cpuTimeMs('01:00:00')).toBe(3_600_000);
    expect(cpuTimeMs('2-00:00:01')).toBe(172_801_000);
  });
});
