// The formation's places: `web.2` is a slot, the instance in it changes with every restart. A slot also holds
// its pending crash retry and whether a restart is under way.
import type { Timer } from '../shared/clock.js';
import type { Instance } from './instance.js';

export interface Slot {
  name: string;
  type: string;
  number: number;
  current: Instance | undefined;
  retry: Timer | undefined;
  restarting: boolean;
}

export class Slots {
  readonly #slots = new Map<string, Slot>();

  add(type: string, number: number): Slot {
    const slot: Slot = {
      name: `${type}.${number}`,
      type,
      number,
      current: undefined,
      retry: undefined,
      restarting: false,
    };
    this.#slots.set(slot.name, slot);
    return slot;
  }

  get(name: string): Slot | undefined {
    return this.#slots.get(name);
  }

  /** the slot is forgotten and its pending retry cancelled; its instance is the caller's to stop */
  remove(slot: Slot): void {
    cancelRetry(slot);
    this.#slots.delete(slot.name);
  }

  all(): Slot[] {
    return [...this.#slots.values()];
  }

  /** a type's slots, lowest number first */
  ofType(type: string): Slot[] {
    return this.all()
      .filter((slot) => slot.type === type)
      .sort((a, b) => a.number - b.number);
  }

  /** the types that have slots, in start order */
  types(): string[] {
    return [...new Set(this.all().map((slot) => slot.type))];
  }

  /** the names of the slots of these types whose instance is ready and not being restarted */
  restartable(types: readonly string[]): string[] {
    const ready = (s: Slot): boolean => types.includes(s.type) && !s.restarting && s.current?.state === 'ready';
    return this.all()
      .filter(ready)
      .map((s) => s.name);
  }

  cancelRetries(): void {
    for (const slot of this.#slots.values()) cancelRetry(slot);
  }
}

export function cancelRetry(slot: Slot): void {
  slot.retry?.cancel();
  slot.retry = undefined;
}
