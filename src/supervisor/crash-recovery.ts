// After a crash: the exit is reported with when the retry comes, the retry waits the policy's backoff, and a
// type that crash-loops is reported once and no longer retried until a restart or a scale by hand forgives it.
import type { EventBus } from '../events/bus.js';
import type { RunEvent } from '../events/types.js';
import type { Clock } from '../shared/clock.js';
import { CRASH_WINDOW_MS, CrashPolicy } from './crash-policy.js';
import type { Instance } from './instance.js';
import type { Slot } from './slots.js';

export type ExitedEvent = Omit<Extract<RunEvent, { kind: 'instance:exited' }>, 'state' | 'restartInMs'>;

export class CrashRecovery {
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #policy = new CrashPolicy();
  readonly #looping = new Set<string>();

  constructor(bus: EventBus, clock: Clock) {
    this.#bus = bus;
    this.#clock = clock;
  }

  crashed(slot: Slot, instance: Instance, exited: ExitedEvent, retry: () => void): void {
    const now = this.#clock.now();
    const decision = this.#policy.record(slot.type, slot.name, now, now - instance.startedAt);
    // a crash of an instance that was already replaced (it died while draining) is not retried
    const retryInMs = decision.action === 'restart' && slot.current === instance ? decision.delayMs : undefined;
    this.#bus.emit({ ...exited, state: 'crashed', restartInMs: retryInMs });
    if (decision.action === 'give-up' && !this.#looping.has(slot.type)) {
      this.#looping.add(slot.type);
      const { crashes } = decision;
      this.#bus.emit({
        kind: 'type:crash-looping',
        type: slot.type,
        crashes,
        windowMs: CRASH_WINDOW_MS,
        lastLines: instance.lastLines,
      });
    }
    if (retryInMs === undefined) return;
    slot.retry = this.#clock.after(retryInMs, () => {
      slot.retry = undefined;
      retry();
    });
  }

  // A type is given another chance (e.g. after the user restarts or rescales it by hand).
  forgive(type: string): void {
    this.#policy.forgive(type);
    this.#looping.delete(type);
  }
}
