import type { RunEvent } from './types.js';

export type Listener = (event: RunEvent) => void;

// A synchronous fan-out of run events; subscribe returns the unsubscribe.
export class EventBus {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: RunEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
