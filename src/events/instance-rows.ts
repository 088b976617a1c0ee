// The instances as the run's events describe them, one row per slot name: a replacement takes over its row,
// restarts are counted per name, request counts survive restarts. The TUI's table and `amnesia ps` (the
// control socket) both read it, so they agree on what an instance's state, restarts and usage are.
import type { EventOf, InstanceState, RunEvent } from './types.js';

export interface InstanceRow {
  name: string;
  type: string;
  uid: number;
  pid: number;
  port: number | undefined;
  state: InstanceState;
  startedAt: number;
  restarts: number;
  requests: number;
  errors: number;
  /** percent of one core over the last sample period; undefined until sampled */
  cpu: number | undefined;
  /** resident memory of the whole process group, bytes */
  rss: number | undefined;
}

/** the state to show: a crashed instance of a crash-looping type says so */
export function shownState(row: InstanceRow, looping: readonly string[]): string {
  return row.state === 'crashed' && looping.includes(row.type) ? 'crash-loop' : row.state;
}

export class InstanceRows {
  readonly #rows = new Map<string, InstanceRow>();
  readonly #restarts = new Map<string, number>();
  /** types no longer restarted after a crash loop */
  readonly #looping = new Set<string>();

  get(name: string): InstanceRow | undefined {
    return this.#rows.get(name);
  }

  /** what the event changes; false when it changes no row */
  apply(event: RunEvent, now: number): boolean {
    switch (event.kind) {
      case 'instance:spawned': {
        this.#looping.delete(event.type);
        const before = this.#rows.get(event.name);
        if (event.replacing && before) return false;
        if (before?.state === 'crashed') this.#countRestart(event.name);
        this.#take(event, now);
        return true;
      }
      case 'instance:ready':
        this.#take(event, now).state = 'ready';
        return true;
      case 'instance:draining':
        return this.#setState(event, 'draining');
      case 'instance:signalled':
        return this.#setState(event, 'stopping');
      case 'instance:exited':
        return this.#setState(event, event.state);
      case 'restart:finished':
        if (event.ok) this.#countRestart(event.name);
        return event.ok;
      case 'request:done':
        return this.#countRequest(event.instance?.name, event.status);
      case 'instance:usage':
        for (const sample of event.samples) {
          const row = this.#rows.get(sample.name);
          if (row?.uid !== sample.uid) continue;
          row.cpu = sample.cpu;
          row.rss = sample.rss;
        }
        return event.samples.length > 0;
      case 'type:crash-looping':
        this.#looping.add(event.type);
        return true;
      default:
        return false;
    }
  }

  /** types no longer restarted after a crash loop, until one of their instances is spawned again */
  looping(): string[] {
    return [...this.#looping];
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

  /** a process was spawned for this name (or became ready): its row, created or taken over */
  #take(event: EventOf<'instance:spawned' | 'instance:ready'>, now: number): InstanceRow {
    const { name, type, uid, pid, port } = event;
    const existing = this.#rows.get(name);
    const same = existing?.uid === uid;
    const row: InstanceRow = {
      ...{ name, type, uid, pid, port, state: 'starting', startedAt: now },
      restarts: this.#restarts.get(name) ?? 0,
      requests: existing?.requests ?? 0,
      errors: existing?.errors ?? 0,
      cpu: same ? existing.cpu : undefined,
      rss: same ? existing.rss : undefined,
    };
    this.#rows.set(name, row);
    return row;
  }

  /** the state of the row's current process; events of a process it replaced change nothing */
  #setState(
    event: EventOf<'instance:draining' | 'instance:signalled' | 'instance:exited'>,
    state: InstanceState,
  ): boolean {
    const row = this.#rows.get(event.name);
    if (row?.uid !== event.uid) return false;
    row.state = state;
    if (state === 'stopped' || state === 'crashed' || state === 'done') row.cpu = row.rss = undefined;
    return true;
  }

  #countRestart(name: string): void {
    const count = (this.#restarts.get(name) ?? 0) + 1;
    this.#restarts.set(name, count);
    const row = this.#rows.get(name);
    if (row) row.restarts = count;
  }

  #countRequest(name: string | undefined, status: number): boolean {
    const row = name === undefined ? undefined : this.#rows.get(name);
    if (!row) return false;
    row.requests++;
    if (status >= 500) row.errors++;
    return true;
  }
}
