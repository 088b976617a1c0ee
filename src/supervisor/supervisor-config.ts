// What the supervisor is given: the formation and its limits (config, changed by --watch reloads), the OS and
// the clock (deps, real by default), and where a run-ending failure goes.
import type { EventBus } from '../events/bus.js';
import type { ProcfileEntry } from '../procfile/parse.js';
import type { Clock } from '../shared/clock.js';
import type { RunOutcome } from '../shared/run-outcome.js';
import type { GroupTracker } from './instance-types.js';
import type { ProcessControl } from './process-control.js';

export interface SupervisorConfig {
  root: string;
  entries: readonly ProcfileEntry[];
  /** the Procfile as the user named it, for error messages */
  procfileName: string;
  formation: ReadonlyMap<string, number>;
  routed: readonly string[];
  /** the environment every instance starts from */
  env: Record<string, string>;
  /** base port + 100 * index, per type */
  typePorts: ReadonlyMap<string, number>;
  host: string;
  stopTimeoutMs: number;
  readyTimeoutMs: number;
  drainTimeoutMs: number;
  health: string | undefined;
  exitOnCrash: boolean;
  tmpRoot: string;
}

export interface SupervisorDeps {
  bus: EventBus;
  watchdog: GroupTracker;
  control?: ProcessControl;
  clock?: Clock;
}

/** the run must end: every instance has ended, a crash under --exit-on-crash, a command that cannot run */
export type FatalHandler = (outcome: RunOutcome, reason: string) => void;
