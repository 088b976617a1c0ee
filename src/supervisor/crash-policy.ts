export const CRASH_WINDOW_MS = 60_000;
export const CRASH_LOOP_LIMIT = 5;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** an instance that ran this long before it crashed was healthy: its slot's backoff starts over (PM2 resets after 30 s too) */
export const STABLE_MS = 30_000;

export type CrashDecision = { action: 'restart'; delayMs: number } | { action: 'give-up'; crashes: number };

// Backoff and crash-loop detection. A type with CRASH_LOOP_LIMIT crashes within CRASH_WINDOW_MS is crash
// looping and is not retried. Below that, each slot's retries wait 1s doubling to 30s for as long as its
// instances keep dying young (before STABLE_MS): a streak, not a window, or an instance that crashes every
// 20 s would never get past 4 s, and the cap would be unreachable.
export class CrashPolicy {
  readonly #byType = new Map<string, number[]>();
  /** consecutive crashes of young instances, per slot */
  readonly #streak = new Map<string, number>();

  record(type: string, slot: string, now: number, uptimeMs: number): CrashDecision {
    const typeCrashes = this.#recent(this.#byType, type, now);
    const streak = uptimeMs >= STABLE_MS ? 1 : (this.#streak.get(slot) ?? 0) + 1;
    this.#streak.set(slot, streak);
    if (typeCrashes.length >= CRASH_LOOP_LIMIT) return { action: 'give-up', crashes: typeCrashes.length };
    const delayMs = Math.min(FIRST_BACKOFF_MS * 2 ** Math.min(streak - 1, 5), MAX_BACKOFF_MS);
    return { action: 'restart', delayMs };
  }

  // A type is given another chance (e.g. after the user restarts or rescales it by hand).
  forgive(type: string): void {
    this.#byType.delete(type);
    for (const slot of this.#streak.keys()) if (slot.startsWith(`${type}.`)) this.#streak.delete(slot);
  }

  #recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const list = (map.get(key) ?? []).filter((time) => now - time < CRASH_WINDOW_MS);
    list.push(now);
    map.set(key, list);
    return list;
  }
}
