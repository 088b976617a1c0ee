import type { Random } from '../random.js';
import { realClock, type Clock, type Timer } from '../shared/clock.js';

export interface RestartTarget {
  /** names of instances that may be restarted now */
  restartable(types: readonly string[]): string[];
  restart(name: string, reason: string, signal: NodeJS.Signals): Promise<void>;
}

export interface SchedulerOptions {
  /** mean time between restarts; undefined: no timed restarts */
  everyMs: number | undefined;
  /** also restart after this many routed requests; undefined: never */
  afterRequests: number | undefined;
  types: readonly string[];
  signal: NodeJS.Signals;
  random: Random;
  clock?: Clock;
  /** told when the next timed restart is due (epoch ms), or that none is, for the UI's countdown */
  onArmed?: (at: number | undefined) => void;
}

// Restarts one instance at a time, chosen at random among the chaos types: every `everyMs` on average
// (each wait drawn between 0.5x and 1.5x from the run's seeded generator) and after every N requests.
export class RestartScheduler {
  readonly #o: SchedulerOptions;
  readonly #target: RestartTarget;
  #timer: Timer | undefined;
  #requests = 0;
  #busy = false;
  #paused = false;
  #stopped = true;

  constructor(options: SchedulerOptions, target: RestartTarget) {
    this.#o = options;
    this.#target = target;
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
    if (paused) this.#disarm();
    else this.#arm();
  }

  /** a routed request finished */
  onRequest(): void {
    if (this.#o.afterRequests === undefined || this.#o.afterRequests === 0 || this.#paused || this.#stopped) return;
    this.#requests++;
    if (this.#requests >= this.#o.afterRequests) {
      this.#requests = 0;
      void this.#restartOne(`every ${this.#o.afterRequests} requests`);
    }
  }

  #arm(): void {
    this.#disarm();
    const every = this.#o.everyMs;
    if (every === undefined || every === 0 || this.#paused || this.#stopped) return;
    const delay = Math.round(every * (0.5 + this.#o.random.next()));
    const clock = this.#o.clock ?? realClock;
    this.#o.onArmed?.(clock.now() + delay);
    this.#timer = clock.after(delay, () => {
      this.#timer = undefined;
      void this.#restartOne('scheduled').finally(() => this.#arm());
    });
  }

  #disarm(): void {
    if (this.#timer) this.#o.onArmed?.(undefined);
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  async #restartOne(reason: string): Promise<void> {
    if (this.#busy || this.#stopped) return;
    const names = this.#target.restartable(this.#o.types);
    if (names.length === 0) return;
    const name = names[this.#o.random.int(names.length)] ?? '';
    this.#busy = true;
    try {
      await this.#target.restart(name, reason, this.#o.signal);
    } finally {
      this.#busy = false;
    }
  }
}
