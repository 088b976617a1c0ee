import type { Finding } from '../../shared/finding.js';
import type { InstanceState, RunEvent } from '../../events/types.js';
import { RingBuffer } from './ring-buffer.js';

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
}

export interface RequestRow {
  at: number;
  method: string;
  path: string;
  instance: string;
  status: number;
  durationMs: number;
  hop: boolean;
  afterRestart: boolean;
}

export interface LogLine {
  name: string;
  type: string;
  text: string;
}

export interface Snapshot {
  version: number;
  status: 'starting' | 'running' | 'stopping' | 'stopped';
  statusText: string;
  routers: Array<{ type: string; url: string }>;
  formation: Array<[string, number]>;
  types: string[];
  balance: string;
  seed: number;
  restartEveryMs: number | undefined;
  instances: InstanceRow[];
  logs: LogLine[];
  requests: RequestRow[];
  /** routed requests per second over the last 5 s */
  rps: number;
  findings: Finding[];
  /** one line of news: the last restart, finding or reload */
  notice: string;
}

export const LOG_LINES = 1000;
export const REQUEST_ROWS = 200;
const MAX_LINE = 500;
/** ~30 redraws a second */
const FRAME_MS = 33;
/** output read per FRAME_MS of frame; beyond it the children's pipes are paused until the next frame */
const FRAME_BYTES = 256 * 1024;
/** while output floods in, frames come this far apart: a flood scrolls past unread at 30 frames a second
 * too, and each of ink's frames re-lays the whole screen out, character by character */
const FLOOD_FRAME_MS = 100;
/** enough bytes to fill the log buffer with ordinary lines */
const PENDING_BYTES = LOG_LINES * 200;
const RPS_WINDOW_S = 5;

// The TUI's model: run events in, a bounded snapshot out. Output lives in a ring buffer (the last
// LOG_LINES lines), requests in another; readers get a cached snapshot and notices at most ~30 per second.
export class TuiStore {
  #version = 0;
  #snapshot: Snapshot | undefined;
  readonly #listeners = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;
  readonly #frameMs: number;
  readonly #instances = new Map<string, InstanceRow>();
  readonly #restarts = new Map<string, number>();
  readonly #logs = new RingBuffer<LogLine>(LOG_LINES);
  #pendingOutput: Array<{ name: string; type: string; data: Buffer }> = [];
  #pendingBytes = 0;
  readonly #requests = new RingBuffer<RequestRow>(REQUEST_ROWS);
  readonly #perSecond = new Map<number, number>();
  #findings: Finding[] = [];
  #base: Omit<Snapshot, 'version' | 'instances' | 'logs' | 'requests' | 'rps' | 'findings'> = {
    status: 'starting',
    statusText: 'starting',
    routers: [],
    formation: [],
    types: [],
    balance: 'random',
    seed: 0,
    restartEveryMs: undefined,
    notice: '',
  };

  /** pauses and resumes the children's output when a frame brings more than FRAME_BYTES */
  readonly #throttle: ((paused: boolean) => void) | undefined;
  #frameBytes = 0;
  #throttled = false;
  /** the last frame brought more output than FRAME_BYTES */
  #flooding = false;
  /** request paths may carry tokens in their query */
  readonly #redact: (text: string) => string;

  constructor(
    options: {
      now?: () => number;
      frameMs?: number;
      throttle?: (paused: boolean) => void;
      redact?: (text: string) => string;
    } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#redact = options.redact ?? ((text) => text);
    this.#frameMs = options.frameMs ?? FRAME_MS;
    this.#throttle = options.throttle;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => {
    if (this.#pendingOutput.length > 0) this.#decodePending();
    this.#snapshot ??= {
      ...this.#base,
      version: this.#version,
      instances: [...this.#instances.values()].sort(
        (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name, 'en', { numeric: true }),
      ),
      logs: this.#logs.toArray(),
      requests: this.#requests.toArray(),
      rps: this.#rps(),
      findings: this.#findings,
    };
    return this.#snapshot;
  };

  /** a change that is not an event (balance, pause): redraw */
  patch(change: Partial<Snapshot>): void {
    this.#base = { ...this.#base, ...change };
    this.#changed();
  }

  handle = (event: RunEvent): void => {
    switch (event.kind) {
      case 'run:starting':
        this.#base = {
          ...this.#base,
          formation: event.formation,
          types: event.formation.map(([type]) => type),
          seed: event.seed,
          balance: event.balance,
          restartEveryMs: event.restartEveryMs,
        };
        break;
      case 'router:listening':
        this.#base = { ...this.#base, routers: [...this.#base.routers, { type: event.type, url: event.url }] };
        break;
      case 'run:ready':
        this.#base = { ...this.#base, status: 'running', statusText: `running (started in ${event.startedMs}ms)` };
        break;
      case 'run:stopping':
        this.#base = { ...this.#base, status: 'stopping', statusText: `stopping: ${event.reason}` };
        break;
      case 'run:stopped':
        this.#base = { ...this.#base, status: 'stopped', statusText: 'stopped' };
        break;
      case 'instance:spawned': {
        const before = this.#instances.get(event.name);
        if (event.replacing && before) break;
        if (before?.state === 'crashed') this.#countRestart(event.name);
        this.#row(event.name, event.type, event.uid, event.pid, event.port);
        break;
      }
      case 'instance:ready': {
        const row = this.#row(event.name, event.type, event.uid, event.pid, event.port);
        row.state = 'ready';
        row.startedAt = this.#now();
        break;
      }
      case 'instance:draining':
      case 'instance:signalled': {
        const row = this.#instances.get(event.name);
        if (row?.uid === event.uid) row.state = event.kind === 'instance:draining' ? 'draining' : 'stopping';
        break;
      }
      case 'instance:exited': {
        const row = this.#instances.get(event.name);
        if (row?.uid === event.uid) row.state = event.state;
        break;
      }
      case 'restart:finished':
        if (event.ok) this.#countRestart(event.name);
        this.#base = {
          ...this.#base,
          notice: `${event.name} ${event.ok ? `restarted in ${event.durationMs}ms` : `restart failed: ${event.detail}`}`,
        };
        break;
      case 'instance:output':
        this.#output(event.name, event.type, event.data);
        return this.#changed();
      case 'request:done':
        this.#request(event);
        break;
      case 'finding:raised':
        this.#findings = [...this.#findings, event.finding];
        this.#base = { ...this.#base, notice: `FINDING ${event.finding.kind} on ${event.finding.route}` };
        break;
      case 'watch:reloaded':
      case 'watch:invalid':
      case 'watch:changed':
        this.#base = {
          ...this.#base,
          notice:
            event.kind === 'watch:invalid'
              ? `${event.file} is invalid: ${event.errors[0] ?? ''}`
              : `${event.kind === 'watch:changed' ? 'files changed' : `reloaded ${event.file}`}`,
        };
        break;
      case 'type:crash-looping':
        this.#base = { ...this.#base, notice: `${event.type} is crash looping: not restarting it` };
        break;
      default:
        return;
    }
    this.#changed();
  };

  #countRestart(name: string): void {
    const count = (this.#restarts.get(name) ?? 0) + 1;
    this.#restarts.set(name, count);
    const row = this.#instances.get(name);
    if (row) row.restarts = count;
  }

  #row(name: string, type: string, uid: number, pid: number, port: number | undefined): InstanceRow {
    const existing = this.#instances.get(name);
    const row: InstanceRow = {
      name,
      type,
      uid,
      pid,
      port,
      state: 'starting',
      startedAt: this.#now(),
      restarts: this.#restarts.get(name) ?? 0,
      requests: existing?.requests ?? 0,
      errors: existing?.errors ?? 0,
    };
    this.#instances.set(name, row);
    return row;
  }

  // Output is only queued here; it is decoded when a frame needs it, and only the newest chunks that can
  // still fill the log buffer are kept, so a flood costs a pointer per chunk, not a decode.
  #output(name: string, type: string, data: Buffer): void {
    // a terminal would slow a flooding app down; the UI reads no faster than FRAME_BYTES per FRAME_MS of
    // frame (~7.5 MB/s) and lets the pipe push back on the app
    this.#frameBytes += data.length;
    if (this.#frameBytes > FRAME_BYTES * Math.max(1, this.#delay() / FRAME_MS) && !this.#throttled && this.#throttle) {
      this.#throttled = true;
      this.#throttle(true);
    }
    this.#pendingOutput.push({ name, type, data });
    this.#pendingBytes += data.length;
    while (this.#pendingBytes > PENDING_BYTES && this.#pendingOutput.length > 1)
      this.#pendingBytes -= this.#pendingOutput.shift()?.data.length ?? 0;
  }

  #decodePending(): void {
    for (const { name, type, data } of this.#pendingOutput.splice(0)) {
      const tail = data.length > PENDING_BYTES ? data.subarray(data.length - PENDING_BYTES) : data;
      const lines = tail.toString('utf8').split('\n');
      lines.pop();
      for (const text of lines.slice(-LOG_LINES))
        this.#logs.push({ name, type, text: text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text });
    }
    this.#pendingBytes = 0;
  }

  #request(event: Extract<RunEvent, { kind: 'request:done' }>): void {
    const now = this.#now();
    const second = Math.floor(now / 1000);
    this.#perSecond.set(second, (this.#perSecond.get(second) ?? 0) + 1);
    for (const key of this.#perSecond.keys()) if (key < second - RPS_WINDOW_S) this.#perSecond.delete(key);
    const name = event.instance?.name ?? '(router)';
    const row = event.instance ? this.#instances.get(event.instance.name) : undefined;
    if (row) {
      row.requests++;
      if (event.status >= 500) row.errors++;
    }
    this.#requests.push({
      at: now,
      method: event.method,
      path: this.#redact(event.path),
      instance: name,
      status: event.status,
      durationMs: event.durationMs,
      hop: event.hop,
      afterRestart: event.afterRestart,
    });
  }

  #rps(): number {
    const second = Math.floor(this.#now() / 1000);
    let total = 0;
    for (const [key, count] of this.#perSecond) if (key >= second - RPS_WINDOW_S && key < second) total += count;
    return total / RPS_WINDOW_S;
  }

  #changed(): void {
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
    }, this.#delay());
    this.#timer.unref?.();
  }

  #delay(): number {
    return this.#flooding ? Math.max(this.#frameMs, FLOOD_FRAME_MS) : this.#frameMs;
  }
}
