// Stopping a process group: the signal, then SIGKILL once the stop timeout has passed, then a wait until the
// kernel has ended every member. Says whether SIGKILL was needed, so an exit can be reported as what ended it.
import type { Clock } from '../shared/clock.js';
import { waitGroupGone, type ProcessControl } from './process-control.js';

/** how long a SIGKILLed group may take to disappear */
export const KILL_GRACE_MS = 2000;

export interface GroupStop {
  /** the signal reached the group (false: it was already gone) */
  signalled: boolean;
  /** SIGKILL followed, this long after the first signal */
  killedAfterMs: number | undefined;
}

export async function stopGroup(
  control: ProcessControl,
  clock: Clock,
  pgid: number,
  signal: NodeJS.Signals,
  timeoutMs: number,
  /** told of each signal that reached the group */
  signalled: (signal: NodeJS.Signals) => void = () => undefined,
): Promise<GroupStop> {
  if (pgid <= 0 || !control.signalGroup(pgid, signal)) return { signalled: false, killedAfterMs: undefined };
  signalled(signal);
  let killedAfterMs: number | undefined;
  if (signal !== 'SIGKILL' && !(await waitGroupGone(control, clock, pgid, timeoutMs))) {
    if (control.signalGroup(pgid, 'SIGKILL')) {
      killedAfterMs = timeoutMs;
      signalled('SIGKILL');
    }
  }
  // SIGKILL is not instant: the group is stopped once the kernel has ended every member
  await waitGroupGone(control, clock, pgid, KILL_GRACE_MS);
  return { signalled: true, killedAfterMs };
}
