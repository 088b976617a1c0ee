// The routed traffic as the run's events describe it: per type and per instance, requests per second and
// latency percentiles over a sliding window of WINDOW_S complete seconds; per type, a minute of history
// (req/s and p99 per second) with what happened to the formation marked on it (scale, restart, kill, crash).
// One of these per run (Run.traffic), read by the UI's header and table and by `amnesia ps`.
import type { RunEvent } from '../events/types.js';
import type { Histogram } from './histogram.js';
import { percentile } from './histogram.js';
import { LatencyWindow, type Figures } from './latency-window.js';

export type { Figures } from './latency-window.js';

export const WINDOW_S = 5;
export const HISTORY_S = 60;

/** what happened in a second, strongest first: kill, crash, scale up, scale down, restart */
export type Mark = 'k' | 'x' | '+' | '-' | 'r';
const RANK: readonly Mark[] = ['k', 'x', '+', '-', 'r'];

export interface History {
  /** oldest first, one entry per second, the last one the last complete second */
  rps: number[];
  p99: Array<number | undefined>;
  marks: Array<Mark | undefined>;
}

interface TypeRecord {
  window: LatencyWindow;
  /** seconds that left the window: their count and p99 */
  past: Map<number, { count: number; p99: number | undefined }>;
  marks: Map<number, Mark>;
}

/** what the renderers and `amnesia ps` read */
export type TrafficReader = Pick<TrafficStats, 'instance' | 'type' | 'history'>;

export class TrafficStats {
  readonly #now: () => number;
  readonly #types = new Map<string, TypeRecord>();
  readonly #instances = new Map<string, LatencyWindow>();
  /** instance names that hold a slot: a spawn of another name is a scale-up */
  readonly #slots = new Set<string>();
  #ready = false;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  handle = (event: RunEvent): void => {
    switch (event.kind) {
      case 'request:done': {
        const second = this.#second();
        this.#type(event.type).window.record(second, event.durationMs);
        if (event.instance === undefined) return;
        let window = this.#instances.get(event.instance.name);
        if (!window) this.#instances.set(event.instance.name, (window = new LatencyWindow(WINDOW_S)));
        window.record(second, event.durationMs);
        return;
      }
      case 'run:ready':
        this.#ready = true;
        return;
      case 'instance:spawned':
        if (event.replacing || this.#slots.has(event.name)) return;
        this.#slots.add(event.name);
        return this.#mark(event.type, '+');
      case 'instance:signalled':
        if (event.reason !== 'scaled down') return;
        this.#slots.delete(event.name);
        return this.#mark(event.type, '-');
      case 'restart:started':
        return this.#mark(event.type, event.signal === 'SIGKILL' ? 'k' : 'r');
      case 'instance:exited':
        return event.state === 'crashed' ? this.#mark(event.type, 'x') : undefined;
      default:
        return;
    }
  };

  /** an instance's figures over the window (by name: a replacement carries on its row's) */
  instance(name: string): Figures {
    return this.#instances.get(name)?.figures(this.#second()) ?? { rps: 0, p50: undefined, p99: undefined };
  }

  type(type: string): Figures {
    return this.#types.get(type)?.window.figures(this.#second()) ?? { rps: 0, p50: undefined, p99: undefined };
  }

  /** the last `seconds` complete seconds of a type */
  history(type: string, seconds = HISTORY_S): History {
    const record = this.#types.get(type);
    const now = this.#second();
    const history: History = { rps: [], p99: [], marks: [] };
    for (let s = now - seconds; s < now; s++) {
      const live: Histogram | undefined = record?.window.at(s);
      const past = live ? { count: live.count, p99: percentile([live], 0.99) } : record?.past.get(s);
      history.rps.push(past?.count ?? 0);
      history.p99.push(past?.p99);
      history.marks.push(record?.marks.get(s));
    }
    return history;
  }

  #second(): number {
    return Math.floor(this.#now() / 1000);
  }

  #type(type: string): TypeRecord {
    let record = this.#types.get(type);
    if (record) return record;
    const past: TypeRecord['past'] = new Map();
    const window = new LatencyWindow(WINDOW_S, (second, histogram) => {
      past.set(second, { count: histogram.count, p99: percentile([histogram], 0.99) });
      forget(past, this.#second());
    });
    record = { window, past, marks: new Map() };
    this.#types.set(type, record);
    return record;
  }

  // Start-up spawns every instance: not news. After it, the strongest thing that happened in a second stays.
  #mark(type: string, mark: Mark): void {
    if (!this.#ready) return;
    const marks = this.#type(type).marks;
    const second = this.#second();
    const before = marks.get(second);
    if (before === undefined || RANK.indexOf(mark) < RANK.indexOf(before)) marks.set(second, mark);
    forget(marks, second);
  }
}

/** keeps a minute: older seconds go */
function forget(map: Map<number, unknown>, now: number): void {
  for (const second of map.keys()) if (second < now - HISTORY_S) map.delete(second);
}
