// A Supervisor on a fake OS and a virtual clock, with the events it emitted: the set-up of its unit tests.
import { EventBus } from '../../src/events/bus.js';
import type { RunEvent } from '../../src/events/types.js';
import type { RunOutcome } from '../../src/shared/run-outcome.js';
import { parseProcfile } from '../../src/procfile/parse.js';
import { Supervisor, type SupervisorConfig } from '../../src/supervisor/supervisor.js';
import { FakeClock } from './clock.js';
import { FakeProcesses } from './processes.js';

export interface Fatal {
  outcome: RunOutcome;
  reason: string;
}

export function supervised(
  procfile: string,
  formation: Record<string, number>,
  config: Partial<SupervisorConfig> = {},
) {
  const clock = new FakeClock();
  const os = new FakeProcesses(clock);
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const parsed = parseProcfile(procfile, 'Procfile');
  if (!('entries' in parsed)) throw new Error('bad Procfile in a test');
  const entries = parsed.entries;
  const supervisor = new Supervisor(
    {
      root: '/app',
      entries,
      procfileName: 'Procfile',
      formation: new Map(Object.entries(formation)),
      routed: entries.filter((e) => e.name === 'web').map((e) => e.name),
      env: {},
      typePorts: new Map(entries.map((e, i) => [e.name, 5000 + 100 * i])),
      host: '127.0.0.1',
      stopTimeoutMs: 5000,
      readyTimeoutMs: 30_000,
      drainTimeoutMs: 10_000,
      health: undefined,
      exitOnCrash: false,
      tmpRoot: '/tmp/amnesia-test',
      ...config,
    },
    { bus, watchdog: { trackGroup: () => undefined, untrackGroup: () => undefined }, control: os, clock },
  );
  const fatal: Fatal[] = [];
  supervisor.onFatal = (outcome, reason) => fatal.push({ outcome, reason });
  const of = <K extends RunEvent['kind']>(kind: K) =>
    events.filter((e): e is Extract<RunEvent, { kind: K }> => e.kind === kind);
  return { clock, os, bus, events, of, supervisor, fatal };
}
