// The TUI's model: run events in (store-handlers.ts), a bounded snapshot out. Output lives in a ring buffer
// (the last LOG_LINES lines), requests in another; readers get a cached snapshot and notices at most ~30
// times a second, and a flood of output is throttled at the children's pipes.
import { InstanceRows } from '../../events/instance-rows.js';
import type { EventOf, RunEvent } from '../../events/types.js';
import type { Finding } from '../../shared/finding.js';
import { bytesText, cpuText } from './format.js';
import { OutputQueue } from './output-queue.js';
import { RingBuffer } from '../../shared/ring-buffer.js';
import { TrafficStats, type TrafficReader } from '../../stats/traffic.js';
import type { BaseSnapshot, LogLine, RequestRow, Snapshot, TrafficView } from './snapshot.js';
import { STORE_HANDLERS, type StoreHandler, type StoreModel } from './store-handlers.js';

export type { InstanceRow, LogLine, RequestRow, Snapshot } from './snapshot.js';

export const LOG_LINES = 1000;
export const REQUEST_ROWS = 200;
/** ~30 redraws a second */
const FRAME_MS = 33;
/** output read per FRAME_MS of frame; beyond it the children's pipes are paused until the next frame */
const FRAME_BYTES = 256 * 1024;
/** while output floods in, frames come this far apart: a flood scrolls past unread at 30 frames a second
 * too, and each of ink's frames re-lays the whole screen out, character by character */
const FLOOD_FRAME_MS = 100;
/** requests (counts, the requests pane) redraw at most 10 times a second: under load each one is a change */
const REQUEST_FRAME_MS = 100;
/** enough bytes to fill the log buffer with ordinary lines */
const PENDING_BYTES = LOG_LINES * 200;
const NO_TRAFFIC: TrafficView = { types: [], instances: {}, rps: 0 };

export interface TuiStoreOptions {
  now?: () => number;
  frameMs?: number;
  /** pauses and resumes the children's output when a frame brings more than FRAME_BYTES */
  throttle?: (paused: boolean) => void;
  /** request paths may carry tokens in their query */
  redact?: (text: string) => string;
  /** the run's traffic figures (Run.traffic); without one, the store keeps its own from the events */
  traffic?: TrafficReader;
}

export class TuiStore {
  #version = 0;
  #snapshot: Snapshot | undefined;
  readonly #listeners = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;
  readonly #frameMs: number;
  readonly #rows = new InstanceRows();
  readonly #logs = new RingBuffer<LogLine>(LOG_LINES);
  readonly #pending = new OutputQueue(LOG_LINES, PENDING_BYTES);
  readonly #requests = new RingBuffer<RequestRow>(REQUEST_ROWS);
  readonly #traffic: TrafficReader;
  /** the figures the store keeps itself when it was given none */
  readonly #ownTraffic: TrafficStats | undefined;
  #trafficView = NO_TRAFFIC;
  #trafficText = '';
  #requestSeq = 0;
  #findings: Finding[] = [];
  readonly #model: StoreModel;
  readonly #throttle: ((paused: boolean) => void) | undefined;
  #frameBytes = 0;
  #throttled = false;
  /** the last frame brought more output than FRAME_BYTES */
  #flooding = false;
  readonly #redact: (text: string) => string;

  constructor(options: TuiStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#redact = options.redact ?? ((text) => text);
    this.#frameMs = options.frameMs ?? FRAME_MS;
    this.#throttle = options.throttle;
    this.#ownTraffic = options.traffic ? undefined : new TrafficStats(this.#now);
    this.#traffic = options.traffic ?? (this.#ownTraffic as TrafficStats);
    const base: BaseSnapshot = {
      ...{ status: 'starting', statusText: 'starting', routers: [], formation: [], types: [] },
      ...{ balance: 'random', seed: 0, restartEveryMs: undefined, notice: '', nextRestartAt: undefined, loads: [] },
    };
    this.#model = {
      base,
      output: (name, type, data) => this.#output(name, type, data),
      event: (name, type, text) => this.#pending.event(name, type, text),
      request: (event) => this.#request(event),
      finding: (finding) => void (this.#findings = [...this.#findings, finding]),
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => {
    if (!this.#pending.empty) this.#pending.drainInto(this.#logs);
    this.#snapshot ??= {
      ...this.#model.base,
      version: this.#version,
      instances: this.#rows.sorted(this.#model.base.types),
      looping: this.#rows.looping(),
      logs: this.#logs.toArray(),
      requests: this.#requests.toArray(),
      findings: this.#findings,
      traffic: this.#trafficView,
    };
    return this.#snapshot;
  };

  /** a change that is not an event (balance, pause): redraw */
  patch(change: Partial<BaseSnapshot>): void {
    this.#model.base = { ...this.#model.base, ...change };
    this.#changed();
  }

  handle = (event: RunEvent): void => {
    this.#ownTraffic?.handle(event);
    const handler = STORE_HANDLERS[event.kind] as StoreHandler<RunEvent> | null;
    // usage comes every second and mostly shows what it showed: a redraw only when a figure does change
    const usage = event.kind === 'instance:usage' ? this.#usageText() : undefined;
    const changed = this.#rows.apply(event, this.#now()) && (usage === undefined || usage !== this.#usageText());
    if (handler !== null) handler(this.#model, event);
    if (changed || handler !== null)
      this.#changed(event.kind === 'request:done' ? Math.max(this.#delay(), REQUEST_FRAME_MS) : this.#delay());
  };

  #output(name: string, type: string, data: Buffer): void {
    // a terminal would slow a flooding app down; the UI reads no faster than FRAME_BYTES per FRAME_MS of
    // frame (~7.5 MB/s) and lets the pipe push back on the app
    this.#frameBytes += data.length;
    if (this.#frameBytes > FRAME_BYTES * Math.max(1, this.#delay() / FRAME_MS) && !this.#throttled && this.#throttle) {
      this.#throttled = true;
      this.#throttle(true);
    }
    this.#pending.push(name, type, data);
  }

  #request(event: EventOf<'request:done'>): void {
    const now = this.#now();
    const name = event.instance?.name ?? '(router)';
    const { method, status, durationMs, hop, afterRestart } = event;
    this.#requests.push({
      seq: ++this.#requestSeq,
      at: now,
      method,
      path: this.#redact(event.path),
      instance: name,
      status,
      durationMs,
      hop,
      afterRestart,
    });
  }

  #usageText(): string {
    return this.#rows
      .sorted([])
      .map((row) => `${cpuText(row.cpu)} ${bytesText(row.rss)}`)
      .join();
  }

  // Once a second (the App's clock): the traffic figures as of now. They move while nothing happens (a
  // second with no request slides in), so they are read on the clock rather than per request; a redraw
  // only when what they show changes.
  tick(): void {
    const instances: TrafficView['instances'] = {};
    for (const row of this.#rows.sorted([])) instances[row.name] = this.#traffic.instance(row.name);
    const types = this.#model.base.routers.map(({ type }) => ({
      type,
      figures: this.#traffic.type(type),
      history: this.#traffic.history(type),
    }));
    const rps = types.reduce((sum, t) => sum + t.figures.rps, 0);
    const view = { types, instances, rps };
    const text = JSON.stringify(view);
    if (text === this.#trafficText) return;
    this.#trafficText = text;
    this.#trafficView = view;
    this.#changed();
  }

  #changed(delay = this.#delay()): void {
    this.#version++;
    this.#snapshot = undefined;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flooding = this.#frameBytes > FRAME_BYTES;
      this.#frameBytes = 0;
      if (this.#throttled) {
        this.#throttled = false;
        this.#throttle?.(false);
      }
      for (const listener of this.#listeners) listener();
    }, delay);
    this.#timer.unref?.();
  }

  #delay(): number {
    return this.#flooding ? Math.max(this.#frameMs, FLOOD_FRAME_MS) : this.#frameMs;
  }
}
