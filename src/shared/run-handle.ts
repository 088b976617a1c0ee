// The public face of a run (the programmatic API's `createRun` returns it, the renderers and the CLI use it):
// its events, its controls and how it ended. Internals (supervisor, routers, detector) stay behind it.
import type { UserError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { BalanceMode } from './balance-modes.js';
import type { TrafficReader } from '../stats/traffic.js';
import type { Finding } from './finding.js';
import type { RunOutcome } from './run-outcome.js';

export interface RunControls {
  /** graceful restart of one instance (surge, drain, stop) */
  restart(name: string): Promise<void>;
  rollingRestart(): Promise<void>;
  /** every instance of a type, one at a time (routed ones replacement first) */
  restartType(type: string): Promise<void>;
  /** SIGKILL one instance: a crash on purpose */
  killInstance(name: string): Promise<void>;
  /** stop one instance and leave it stopped (routed: drained first), or start a stopped one again */
  toggleInstance(name: string): Promise<void>;
  /** stop one instance and leave it stopped (routed: drained first); nothing if it is not running */
  stopInstance(name: string): Promise<void>;
  /** start a stopped (or crashed) instance again */
  startInstance(name: string): Promise<void>;
  /** a crash-looping type: forget its crashes and start its crashed instances again */
  reviveType(type: string): Promise<void>;
  /** pause or resume the scheduled restarts */
  pauseRestarts(paused: boolean): void;
  setBalance(mode: BalanceMode): void;
  /** live scaling by a delta (+1, -1); ports and the router pool follow */
  scale(type: string, delta: number): Promise<void>;
  /** live scaling to a count; 0 stops every instance of the type */
  scaleTo(type: string, count: number): Promise<void>;
  /** stop reading children's output while a renderer cannot keep up */
  pauseOutput(paused: boolean): void;
  /** graceful stop of everything */
  stop(reason: string): Promise<RunOutcome>;
  /** SIGKILL to every process group at once */
  kill(reason: string): Promise<RunOutcome>;
}

export interface Run {
  events: EventBus;
  controls: RunControls;
  /** the seed of every random choice (`--seed` replays it) */
  seed: number;
  /** starts the formation; rejects with a UserError (and leaves nothing running) if start-up fails */
  start(): Promise<void>;
  /** how the run ended, once everything has stopped */
  finished: Promise<RunOutcome>;
  /** each routed type's router URL */
  urls(): ReadonlyMap<string, string>;
  /** what the findings engine has raised so far */
  findings(): Finding[];
  /** req/s and latency per routed type and per instance, over the last seconds and the last minute */
  traffic: TrafficReader;
  /** a file or folder its owner removes when done with it, and the run's watchdog if the manager dies first
   *  (the run itself does not: a next run may already have made it again while this one was stopping) */
  removeIfKilled(path: string): void;
  /** the user error that ended the run, if one did (e.g. a command not found) */
  readonly failure: UserError | undefined;
  /** takes the run's secrets out of a text before it is shown or written (every renderer and report uses it) */
  redact(text: string): string;
}
