export const CRASH_WINDOW_MS = 60_000;
export const CRASH_LOOP_LIMIT = 5;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export type CrashDecision = { action: 'restart'; delayMs: number } | { action: 'give-up'; crashes: number };

// Backoff and crash-loop detection: each slot's retries wait 1s doubling to 30s; a type with
// CRASH_LOOP_LIMIT crashes within CRASH_WINDOW_MS is crash looping and is not retried.
export class CrashPolicy {
  readonly #byType = new Map<string, number[]>();
  readonly #bySlot = new Map<string, number[]>();

  record(type: string, slot: string, now: number): CrashDecision {
    const typeCrashes = this.#recent(this.#byType, type, now);
    const slotCrashes = this.#recent(this.#bySlot, slot, now);
    if (typeCrashes.length >= CRASH_LOOP_LIMIT) return { action: 'give-up', crashes: typeCrashes.length };
    const delayMs = Math.min(FIRST_BACKOFF_MS * 2 ** (slotCrashes.length - 1), MAX_BACKOFF_MS);
    return { action: 'restart', delayMs };
  }

  // A type is given another chance (e.g. after the user restarts or rescales it by hand).
  forgive(type: string): void {
    this.#byType.delete(type);
    for (const slot of this.#bySlot.keys()) if (slot.startsWith(`${type}.`)) this.#bySlot.delete(slot);
  }

  #recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const list = (map.get(key) ?? []).filter((time) => now - time < CRASH_WINDOW_MS);
    list.push(now);
    map.set(key, list);
    return list;
  }
}
