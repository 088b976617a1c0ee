// What an instance is given (its spec and the OS behind ProcessControl) and what it reports when it ends.
import type { EventBus } from '../events/bus.js';
import type { InstanceRef } from '../events/types.js';
import type { Clock } from '../shared/clock.js';
import type { ProcessControl } from './process-control.js';
import type { Probe } from './readiness.js';

export interface InstanceSpec extends InstanceRef {
  command: string;
  cwd: string;
  /** the app's environment; PORT, PS, AMNESIA_INSTANCE and TMPDIR are added per instance */
  env: Record<string, string>;
  port: number | undefined;
  tmpRoot: string;
  /** undefined: ready as soon as it is spawned (non-routed types) */
  probe: Probe | undefined;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

/** the watchdog's part: groups it must reap if the manager dies */
export interface GroupTracker {
  trackGroup(pgid: number): void;
  untrackGroup(pgid: number): void;
}

export interface InstanceDeps {
  control: ProcessControl;
  clock: Clock;
  bus: EventBus;
  watchdog: GroupTracker;
}

/** how an exit's error begins when the instance's own temp dir could not be made (nothing was spawned) */
export const TMPDIR_FAILED = 'its temp dir cannot be made';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** true when amnesia asked it to stop */
  requested: boolean;
  /** spawn itself failed (e.g. the app root does not exist) */
  error: string | undefined;
  /** amnesia SIGKILLed the group this long after its first signal: whatever the child's own exit says, that is what ended it */
  killedAfterMs: number | undefined;
}

export type ReadyResult = 'ready' | 'exited' | 'timeout';
