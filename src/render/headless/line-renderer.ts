import { formatDuration } from '../../config/duration.js';
import type { EventOf, RunEvent, RunEventKind } from '../../events/types.js';
import { SecondClock } from './clock.js';
import { prefixLines } from './prefix-lines.js';
import { paint, SYSTEM_NAME, typeColor } from './style.js';

export interface LineRendererOptions {
  timestamp: boolean;
  prefix: boolean;
  color: boolean;
  /** writes text out; false means "slow down" (the renderer then pauses children's output until drain) */
  write: (text: string) => boolean;
  onBackpressure?: (paused: boolean) => void;
  waitDrain?: (resume: () => void) => void;
  now?: () => number;
}

type Formatters = { [K in Exclude<RunEventKind, 'instance:output'>]: (event: EventOf<K>) => Line | null };
type Line = { who: string; type?: string; text: string };

const sys = (text: string): Line => ({ who: SYSTEM_NAME, text });

const exitText = (code: number | null, signal: string | null): string =>
  signal ? `terminated by ${signal}` : `exited with code ${code ?? '?'}`;

// One formatter per event kind: a new event kind does not compile until it has one.
const FORMATTERS: Formatters = {
  'run:starting': (e) => sys(`starting ${e.formation.map(([t, n]) => `${t}=${n}`).join(',')} from ${e.procfile}${e.envFiles.length > 0 ? ` with ${e.envFiles.join(', ')}` : ''}`),
  'run:ready': (e) => sys(`all instances started in ${formatDuration(e.startedMs)}`),
  'run:signal': (e) => sys(e.action === 'stop' ? `${e.signal} received, stopping (Ctrl-C again to kill at once)` : e.action === 'kill' ? `${e.signal} received again, killing everything` : `${e.signal} received, restarting every instance`),
  'run:stopping': (e) => sys(`stopping all processes (${e.reason})`),
  'run:stopped': () => sys('all processes stopped'),
  'run:warning': (e) => sys(`warning: ${e.message}`),
  'instance:spawned': (e) => ({ who: e.name, type: e.type, text: `started with pid ${e.pid}${e.port === undefined ? '' : ` (PORT=${e.port})`}${e.replacing ? ', a replacement' : ''}` }),
  'instance:ready': (e) => (e.probed ? { who: e.name, type: e.type, text: `ready on port ${e.port} after ${formatDuration(e.bootMs)}` } : null),
  'instance:signalled': (e) => ({ who: e.name, type: e.type, text: `sending ${e.signal} to pid ${e.pid} and its group (${e.reason})` }),
  'instance:exited': (e) => {
    const how = exitText(e.code, e.signal);
    const text = e.state === 'done' ? `done (${how})` : e.state === 'stopped' ? how : `crashed: ${how}${e.restartInMs === undefined ? '' : `, restarting in ${formatDuration(e.restartInMs)}`}`;
    return { who: e.name, type: e.type, text };
  },
  'type:crash-looping': (e) => sys(`${e.type} is crash looping (${e.crashes} crashes within ${formatDuration(e.windowMs)}): not restarting it`),
};

// Turns run events into Foreman-style lines: `HH:MM:SS web.1 | message`, name padded, colour per type.
export class LineRenderer {
  readonly #options: LineRendererOptions;
  readonly #clock: SecondClock;
  readonly #types = new Map<string, number>();
  #width = SYSTEM_NAME.length;
  #paused = false;

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
      this.#write(prefixLines(this.#prefix(event.name, event.type), event.data));
      return;
    }
    const line = (FORMATTERS[event.kind] as (e: RunEvent) => Line | null)(event);
    if (line) this.#write(`${this.#prefix(line.who, line.type)}${line.text}\n`);
  };

  #prefix(name: string, type: string | undefined): string {
    const { timestamp, prefix, color } = this.#options;
    if (!prefix && !timestamp) return '';
    if (name.length > this.#width) this.#width = name.length;
    const parts = [timestamp ? this.#clock.text() : '', prefix ? `${name.padEnd(this.#width)} |` : ''].filter((p) => p !== '');
    const text = `${parts.join(' ')} `;
    if (!color) return text;
    const code = type === undefined ? 97 : typeColor(this.#types.get(type) ?? 0);
    return paint(code, text);
  }

  #write(text: string): void {
    const ok = this.#options.write(text);
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
