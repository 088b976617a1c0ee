// The instances table's rows, one per slot name: a replacement takes over its row, restarts are counted
// per name, and request counts survive restarts.
import type { InstanceState } from '../../events/types.js';
import type { InstanceRow } from './snapshot.js';

export class InstanceRows {
  readonly #rows = new Map<string, InstanceRow>();
  readonly #restarts = new Map<string, number>();

  get(name: string): InstanceRow | undefined {
    return this.#rows.get(name);
  }

  /** a process was spawned for this name (or became ready): its row, created or taken over */
  take(name: string, type: string, uid: number, pid: number, port: number | undefined, now: number): InstanceRow {
    const existing = this.#rows.get(name);
    const row: InstanceRow = {
      ...{ name, type, uid, pid, port, state: 'starting', startedAt: now },
      restarts: this.#restarts.get(name) ?? 0,
      requests: existing?.requests ?? 0,
      errors: existing?.errors ?? 0,
    };
    this.#rows.set(name, row);
    return row;
  }

  /** the state of the row's current process; events of a process it replaced change nothing */
  setState(name: string, uid: number, state: InstanceState): void {
    const row = this.#rows.get(name);
    if (row?.uid === uid) row.state = state;
  }

  countRestart(name: string): void {
    const count = (this.#restarts.get(name) ?? 0) + 1;
    this.#restarts.set(name, count);
    const row = this.#rows.get(name);
    if (row) row.restarts = count;
  }

  countRequest(name: string, status: number): void {
    const row = this.#rows.get(name);
    if (!row) return;
    row.requests++;
    if (status >= 500) row.errors++;
  }

  /** in Procfile order (`types`; a type added later comes after), then by instance number */
  sorted(types: readonly string[]): InstanceRow[] {
    const rank = (type: string): number => {
      const index = types.indexOf(type);
      return index === -1 ? types.length : index;
    };
    return [...this.#rows.values()].sort(
      (a, b) =>
        rank(a.type) - rank(b.type) ||
        a.type.localeCompare(b.type) ||
        a.name.localeCompare(b.name, 'en', { numeric: true }),
    );
  }
}
