// Ending a run, once: graceful (let confirmations land, stop every instance, close routers and watchers,
// remove the temp root) or hard (SIGKILL to every group at once). A kill that cuts a graceful stop short
// makes the outcome "killed"; a failure's outcome stays whatever ends the run after it.
import type { EventBus } from '../events/bus.js';
import type { RunOutcome } from '../shared/run-outcome.js';

export interface ShutdownSteps {
  /** nothing new starts, nothing is retried */
  halt(): void;
  killAll(reason: string): void;
  /** before a graceful stop: the last file events and the detector's confirmations */
  settle(): Promise<void>;
  stopAll(reason: string): Promise<void>;
  /** routers, watchers, the detector, the temp root, the watchdog */
  release(): Promise<void>;
}

/** an outcome a later one may replace: a clean ending says nothing a kill or a failure should not override */
const clean = (outcome: RunOutcome | undefined): boolean =>
  outcome === undefined || outcome.kind === 'stopped' || (outcome.kind === 'ended' && !outcome.crashed);

export class Shutdown {
  readonly finished: Promise<RunOutcome>;
  readonly #bus: EventBus;
  readonly #steps: ShutdownSteps;
  #outcome: RunOutcome | undefined;
  #ending: Promise<RunOutcome> | undefined;
  #resolve!: (outcome: RunOutcome) => void;

  constructor(bus: EventBus, steps: ShutdownSteps) {
    this.#bus = bus;
    this.#steps = steps;
    this.finished = new Promise((resolve) => (this.#resolve = resolve));
  }

  get ending(): boolean {
    return this.#ending !== undefined;
  }

  end(reason: string, outcome: RunOutcome, hard = false): Promise<RunOutcome> {
    if (clean(this.#outcome)) this.#outcome = hard ? { kind: 'killed' } : outcome;
    if (this.#ending) {
      if (hard) this.#steps.killAll(reason);
      return this.#ending;
    }
    this.#steps.halt();
    this.#ending = this.#run(reason, hard);
    return this.#ending;
  }

  async #run(reason: string, hard: boolean): Promise<RunOutcome> {
    this.#bus.emit({ kind: 'run:stopping', reason });
    if (hard) this.#steps.killAll(reason);
    else await this.#steps.settle();
    await this.#steps.stopAll(reason);
    await this.#steps.release();
    const outcome = this.#outcome ?? { kind: 'stopped' };
    this.#bus.emit({ kind: 'run:stopped', outcome });
    this.#resolve(outcome);
    return outcome;
  }
}
