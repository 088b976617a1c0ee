// A virtual clock for unit tests: time moves only when the test says so, and every timer due on the way runs
// in order, with pending promise work settled between timers (like concurrently's virtual-time scheduler).
import type { Clock, Timer } from '../../src/shared/clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

// Lets promise chains that do no real I/O run to their next await on the clock.
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Pending[] = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): Timer {
    const pending: Pending = { at: this.#now + Math.max(0, ms), seq: ++this.#seq, fn, cancelled: false };
    this.#timers.push(pending);
    return { cancel: () => void (pending.cancelled = true) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** timers that have not run and were not cancelled */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** moves time forward by ms, running each timer that falls due on the way, in order */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = next.at;
      next.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }

  /** advances the clock until the promise settles, and returns its value */
  async drive<T>(promise: Promise<T>, limitMs = 600_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => (settled = true));
    await this.until(() => settled, limitMs);
    return watched;
  }

  /** advances in steps until the condition holds; fails after `limitMs` of virtual time */
  async until(condition: () => boolean, limitMs = 600_000, stepMs = 10): Promise<void> {
    const deadline = this.#now + limitMs;
    await settle();
    while (!condition()) {
      if (this.#now >= deadline) throw new Error(`condition not met within ${limitMs}ms of virtual time`);
      await this.advance(stepMs);
    }
  }
}
