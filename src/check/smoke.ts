// The smoke command of a check: through /bin/sh in the app root, told where the routers are
// (AMNESIA_URL, AMNESIA_URL_<TYPE>), its output and exit reported as events. Resolves with its exit code.
import { urlVar } from '../env/ports.js';
import type { EventBus } from '../events/bus.js';
import type { SmokePhase } from '../events/types.js';
import type { Clock } from '../shared/clock.js';
import { spawnSmoke, type SmokeProcess } from '../supervisor/spawn.js';

export type SpawnSmoke = typeof spawnSmoke;

export interface SmokeRun {
  command: string;
  phase: SmokePhase;
  cwd: string;
  inherited: Readonly<Record<string, string | undefined>>;
  urls: ReadonlyMap<string, string>;
}

export function runSmoke(s: SmokeRun, bus: EventBus, clock: Clock, spawn: SpawnSmoke = spawnSmoke): Promise<number> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(s.inherited)) if (value !== undefined) env[key] = value;
  for (const [type, url] of s.urls) env[urlVar(type)] = url;
  const first = [...s.urls.values()][0];
  if (first) env['AMNESIA_URL'] = first;
  const started = clock.now();
  bus.emit({ kind: 'smoke:started', phase: s.phase, command: s.command, url: first ?? '' });
  const onOutput = (data: Buffer): void => bus.emit({ kind: 'smoke:output', phase: s.phase, data });
  const child: SmokeProcess = spawn(s.command, { cwd: s.cwd, env, onOutput });
  return child.exited.then((exitCode) => {
    bus.emit({ kind: 'smoke:finished', phase: s.phase, exitCode, durationMs: clock.now() - started });
    return exitCode;
  });
}
