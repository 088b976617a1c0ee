import { formatDuration } from '../../config/duration.js';
import type { EventOf, RunEvent } from '../../events/types.js';
import { Histogram } from '../../stats/histogram.js';
import { FORMATTERS, type Line } from './line-formatters.js';
import { SecondClock } from './clock.js';
import { prefixLines, type PrefixedText } from './prefix-lines.js';
import { paint, SYSTEM_NAME, typeColor } from './style.js';

export interface LineRendererOptions {
  timestamp: boolean;
  prefix: boolean;
  color: boolean;
  /** writes text out (latin1 only when the text is ASCII); false means "slow down" (the renderer then
   *  pauses children's output until drain) */
  write: (text: string, encoding: 'latin1' | 'utf8') => boolean;
  onBackpressure?: (paused: boolean) => void;
  /** one line per routed request; otherwise a summary per type at each tick() */
  logRequests?: boolean;
  waitDrain?: (resume: () => void) => void;
  now?: () => number;
  /** takes secrets out of amnesia's own lines (request paths, the smoke command); the app's output is its own */
  redact?: (text: string) => string;
}

// Turns run events into Foreman-style lines: `HH:MM:SS web.1 | message`, name padded, colour per type.
export class LineRenderer {
  readonly #options: LineRendererOptions;
  readonly #clock: SecondClock;
  readonly #types = new Map<string, number>();
  #width = SYSTEM_NAME.length;
  #paused = false;
  /** per type: status -> count since the last tick */
  readonly #requests = new Map<string, Map<number, number>>();
  readonly #marks = new Map<string, { hops: number; afterRestart: number }>();
  /** per type: the latency of the requests since the last tick */
  readonly #latency = new Map<string, Histogram>();

  constructor(options: LineRendererOptions) {
    this.#options = options;
    this.#clock = new SecondClock(options.now);
  }

  handle = (event: RunEvent): void => {
    if (event.kind === 'run:starting') {
      event.formation.forEach(([type, count], index) => {
        this.#types.set(type, index);
        this.#width = Math.max(this.#width, `${type}.${count}`.length);
      });
    }
    if (event.kind === 'instance:output') {
      this.#writePrefixed(prefixLines(this.#prefix(event.name, event.type), event.data));
      return;
    }
    if (event.kind === 'smoke:output') {
      this.#writePrefixed(
        prefixLines(
          this.#prefix('smoke', undefined),
          event.data.toString('utf8').endsWith('\n') ? event.data : Buffer.concat([event.data, Buffer.from('\n')]),
        ),
      );
      return;
    }
    if (event.kind === 'request:done' && !this.#options.logRequests) {
      this.#count(event);
      if (event.instance !== undefined) return;
    }
    const line = (FORMATTERS[event.kind] as (e: RunEvent) => Line | null)(event);
    if (line) {
      const prefix = this.#prefix(line.who, line.type);
      const text = this.#options.redact ? this.#options.redact(line.text) : line.text;
      this.#write(
        text
          .split('\n')
          .map((part) => `${prefix}${part}\n`)
          .join(''),
      );
    }
  };

  // Prints, per routed type, what happened since the last tick (a summary instead of a line per request).
  tick(periodMs: number): void {
    for (const [type, statuses] of this.#requests) {
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      const byStatus = [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${n}×${status}`)
        .join(', ');
      const m = this.#marks.get(type) ?? { hops: 0, afterRestart: 0 };
      const p = this.#latency.get(type)?.percentiles();
      const latency = p ? ` · p50 ${formatDuration(p.p50)} · p99 ${formatDuration(p.p99)}` : '';
      this.#write(
        `${this.#prefix(SYSTEM_NAME, undefined)}${type}: ${total} requests in ${formatDuration(periodMs)} (${byStatus})${latency} · ${m.hops} hops · ${m.afterRestart} after a restart\n`,
      );
    }
    this.#requests.clear();
    this.#marks.clear();
    for (const histogram of this.#latency.values()) histogram.reset();
  }

  #count(event: EventOf<'request:done'>): void {
    const statuses = this.#requests.get(event.type) ?? new Map<number, number>();
    statuses.set(event.status, (statuses.get(event.status) ?? 0) + 1);
    this.#requests.set(event.type, statuses);
    const m = this.#marks.get(event.type) ?? { hops: 0, afterRestart: 0 };
    if (event.hop) m.hops++;
    if (event.afterRestart) m.afterRestart++;
    this.#marks.set(event.type, m);
    let latency = this.#latency.get(event.type);
    if (!latency) this.#latency.set(event.type, (latency = new Histogram()));
    latency.record(event.durationMs);
  }

  #prefix(name: string, type: string | undefined): string {
    const { timestamp, prefix, color } = this.#options;
    if (!prefix && !timestamp) return '';
    if (name.length > this.#width) this.#width = name.length;
    const parts = [timestamp ? this.#clock.text() : '', prefix ? `${name.padEnd(this.#width)} |` : ''].filter(
      (p) => p !== '',
    );
    const text = `${parts.join(' ')} `;
    if (!color) return text;
    // amnesia's own lines in bold: bright white (97) could not be read on a light background
    const code = type === undefined ? 1 : typeColor(this.#types.get(type) ?? 0);
    return paint(code, text);
  }

  #writePrefixed({ text, ascii }: PrefixedText): void {
    this.#write(text, ascii ? 'latin1' : 'utf8');
  }

  #write(text: string, encoding: 'latin1' | 'utf8' = 'utf8'): void {
    const ok = this.#options.write(text, encoding);
    if (!ok && !this.#paused && this.#options.onBackpressure && this.#options.waitDrain) {
      this.#paused = true;
      this.#options.onBackpressure(true);
      this.#options.waitDrain(() => {
        this.#paused = false;
        this.#options.onBackpressure?.(false);
      });
    }
  }
}
