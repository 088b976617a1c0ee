import { afterEach, describe, expect, test } from 'vitest';

import { appConfig, quietWatchdog, removeApps } from '../../test/fakes/app.js';
import { FakeClock } from '../../test/fakes/clock.js';
import { FakeProcesses } from '../../test/fakes/processes.js';
import type { RunEvent } from '../events/types.js';
import { runCheck, type CheckOutcome } from './run-check.js';
import type { SpawnSmoke } from './smoke.js';

afterEach(removeApps);

interface SmokeCall {
  command: string;
  env: Record<string, string>;
}

// A smoke command that exits with the next code of the list, as soon as it is started.
function scriptedSmoke(codes: number[], calls: SmokeCall[]): SpawnSmoke {
  return (command, options) => {
    calls.push({ command, env: options.env });
    const code = codes.shift() ?? 0;
    return { pid: 90_000 + calls.length, exited: Promise.resolve(code), kill: () => undefined };
  };
}

async function fakeCheck(flags: Record<string, unknown>, codes: number[]) {
  const clock = new FakeClock();
  const os = new FakeProcesses(clock);
  const config = appConfig('web: node web.js\nworker: node worker.js\n', { seed: '3', ...flags }, 'check');
  const calls: SmokeCall[] = [];
  const events: RunEvent[] = [];
  const checking = runCheck(
    {
      config: { ...config, basePort: 0 },
      args: ['check'],
      tool: 'amnesia',
      cwd: config.root,
      listen: (e) => events.push(e),
    },
    { control: os, clock, watchdog: quietWatchdog(), spawnSmoke: scriptedSmoke(codes, calls) },
  );
  const outcome: CheckOutcome = await clock.drive(checking);
  return { outcome, calls, events, os };
}

describe('check on a fake OS and a virtual clock', () => {
  test('without --seed, both runs use one seed, the one the report replays', async () => {
    const { outcome, events } = await fakeCheck({ run: 'npm run smoke', seed: undefined }, [0, 0]);
    const seeds = events.flatMap((e) => (e.kind === 'run:starting' ? [e.seed] : []));
    expect(seeds).toHaveLength(2);
    expect(seeds[1]).toBe(seeds[0]);
    expect(outcome.report.seed).toBe(seeds[0]);
    expect(outcome.report.replay).toContain(`--seed ${seeds[0]}`);
  });

  test('the smoke command passes in both runs: passed, told where the router is, every instance stopped', async () => {
    const { outcome, calls, os } = await fakeCheck({ run: 'npm run smoke' }, [0, 0]);
    expect(outcome.verdict).toBe('passed');
    expect(outcome.report.smoke).toEqual({ command: 'npm run smoke', control: 0, shuffled: 0 });
    expect(calls.map((c) => c.command)).toEqual(['npm run smoke', 'npm run smoke']);
    for (const { env } of calls) {
      expect(env['AMNESIA_URL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(env['AMNESIA_URL_WEB']).toBe(env['AMNESIA_URL']);
    }
    // control: one web; shuffled: the default formation of three
    expect(os.of('web.1')).toHaveLength(2);
    expect(os.of('web.3')).toHaveLength(1);
    expect(os.running()).toEqual([]);
  });

  test('it passes on one instance and fails on the formation: a smoke-diverged finding, verdict findings', async () => {
    const { outcome } = await fakeCheck({ run: './smoke.sh' }, [0, 1]);
    expect(outcome.verdict).toBe('findings');
    const kinds = outcome.report.findings.map((f) => f.kind);
    expect(kinds).toEqual(['smoke-diverged']);
    expect(outcome.report.findings[0]?.evidence[0]).toContain('exited with code 1 against web=3,worker=1');
  });

  test('it fails on one instance: control-failed, and the shuffled run never starts', async () => {
    const { outcome, calls, events } = await fakeCheck({ run: './smoke.sh' }, [2]);
    expect(outcome.verdict).toBe('control-failed');
    expect(outcome.report.smoke).toEqual({ command: './smoke.sh', control: 2, shuffled: undefined });
    expect(calls).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'run:starting')).toHaveLength(1);
  });

  test('--duration without a smoke command keeps the formation up that long on the run clock', async () => {
    const { outcome, calls, events } = await fakeCheck({ duration: '60s' }, []);
    expect(outcome.verdict).toBe('passed');
    expect(calls).toEqual([]);
    const ready = events.find((e) => e.kind === 'run:ready');
    expect(ready).toBeDefined();
    expect(outcome.report.durationMs).toBeGreaterThanOrEqual(60_000);
  });
});
