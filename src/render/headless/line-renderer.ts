import { formatDuration } from '../../config/duration.js';
import type { EventOf, RunEvent, RunEventKind } from '../../events/types.js';
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

type Formatters = { [K in Exclude<RunEventKind, 'instance:output'>]: (event: EventOf<K>) => Line | null };
type Line = { who: string; type?: string; text: string };

const sys = (text: string): Line => ({ who: SYSTEM_NAME, text });

const exitText = (code: number | null, signal: string | null, killedAfterMs: number | undefined): string =>
  killedAfterMs !== undefined && signal !== 'SIGKILL'
    ? `killed by SIGKILL: its group outlived SIGTERM by ${formatDuration(killedAfterMs)}`
    : signal
      ? `terminated by ${signal}`
      : `exited with code ${code ?? '?'}`;

const marks = (e: EventOf<'request:done'>): string => {
  const list = [e.afterRestart ? 'after restart' : e.hop ? 'hop' : '', e.retried ? 'retried' : ''].filter(
    (m) => m !== '',
  );
  return list.length > 0 ? ` (${list.join(', ')})` : '';
};

// One formatter per event kind: a new event kind does not compile until it has one.
const FORMATTERS: Formatters = {
  'run:starting': (e) =>
    sys(
      `starting ${e.formation.map(([t, n]) => `${t}=${n}`).join(',')} from ${e.procfile}${e.envFiles.length > 0 ? ` with ${e.envFiles.join(', ')}` : ''}` +
        ` · seed ${e.seed} (replay with --seed ${e.seed})` +
        (e.routed.length === 0
          ? ''
          : ` · ${e.balance} balancing · ${e.restartEveryMs === undefined ? 'no scheduled restarts' : `a restart about every ${formatDuration(e.restartEveryMs)}`}`),
    ),
  'router:listening': (e) => sys(`${e.type} → ${e.url}`),
  'request:done': (e) =>
    e.instance
      ? {
          who: e.instance.name,
          type: e.type,
          text: `${e.method} ${e.path} → ${e.status} in ${formatDuration(e.durationMs)}${marks(e)}${e.error ? `: ${e.error}` : ''}`,
        }
      : sys(`${e.type}: ${e.method} ${e.path} → ${e.status}: ${e.error ?? ''}`),
  'instance:draining': (e) => ({
    who: e.name,
    type: e.type,
    text: `draining: no new requests${e.inFlight > 0 ? `, ${e.inFlight} in flight` : ''}`,
  }),
  'restart:started': (e) => ({
    who: e.name,
    type: e.type,
    text: `restarting (${e.reason}, ${e.signal})${e.signal === 'SIGKILL' ? ': killed at once, no drain' : ''}`,
  }),
  'finding:raised': (e) =>
    sys(
      [
        `FINDING ${e.finding.kind} on ${e.finding.route} (${e.finding.type}${e.finding.instances.length > 0 ? `: ${e.finding.instances.join(e.finding.instances.length === 2 ? ' → ' : ', ')}` : ''})`,
        ...e.finding.evidence.map((line) => `  ${line}`),
        ...(e.finding.heldBy ? [`  state: ${e.finding.state ?? 'state'} held by ${e.finding.heldBy}`] : []),
        `  hint: ${e.finding.hint}`,
      ].join('\n'),
    ),
  'file:written': () => null,
  'tmp:written': () => null,
  'ws:message': () => null,
  'watch:changed': (e) =>
    sys(
      `changed: ${e.files.slice(0, 3).join(', ')}${e.files.length > 3 ? ` and ${e.files.length - 3} more` : ''}; restarting ${e.types.join(', ')}`,
    ),
  'watch:reloaded': (e) =>
    sys(
      `reloaded ${e.file}: ${
        [
          e.added.length > 0 ? `started ${e.added.join(', ')}` : '',
          e.removed.length > 0 ? `stopped ${e.removed.join(', ')}` : '',
          e.changed.length > 0 ? `restarting ${e.changed.join(', ')} (command changed)` : '',
          e.envChanged ? 'restarting everything (env changed)' : '',
        ]
          .filter((part) => part !== '')
          .join('; ') || 'nothing to change'
      }`,
    ),
  'watch:invalid': (e) =>
    sys([`${e.file} is invalid; the running formation is kept:`, ...e.errors.map((line) => `  ${line}`)].join('\n')),
  'smoke:started': (e) =>
    sys(
      `smoke command, ${e.phase === 'control' ? 'control run (one instance, no restarts)' : 'shuffled run (the formation, balanced and restarted)'}: ${e.command} with AMNESIA_URL=${e.url}`,
    ),
  'smoke:output': () => null,
  'smoke:finished': (e) =>
    sys(`smoke command (${e.phase}) exited with code ${e.exitCode} after ${formatDuration(e.durationMs)}`),
  'restart:finished': (e) => ({
    who: e.name,
    type: e.type,
    text: e.ok ? `restarted in ${formatDuration(e.durationMs)}, ${e.detail}` : `restart failed: ${e.detail}`,
  }),
  'run:ready': (e) =>
    sys(
      e.crashed.length === 0
        ? `all instances started in ${formatDuration(e.startedMs)}`
        : `started in ${formatDuration(e.startedMs)}, but ${e.crashed.join(', ')} crashed at start-up (restarting with backoff)`,
    ),
  'run:signal': (e) =>
    sys(
      e.action === 'stop'
        ? `${e.signal} received, stopping (Ctrl-C again to kill at once)`
        : e.action === 'kill'
          ? `${e.signal} received again, killing everything`
          : `${e.signal} received, restarting every instance`,
    ),
  'run:stopping': (e) => sys(`stopping all processes (${e.reason})`),
  'run:stopped': () => sys('all processes stopped'),
  'run:warning': (e) => sys(`warning: ${e.message}`),
  'instance:spawned': (e) => ({
    who: e.name,
    type: e.type,
    text: `started with pid ${e.pid}${e.port === undefined ? '' : ` (PORT=${e.port})`}${e.replacing ? ', a replacement' : ''}`,
  }),
  'instance:ready': (e) =>
    e.probed ? { who: e.name, type: e.type, text: `ready on port ${e.port} after ${formatDuration(e.bootMs)}` } : null,
  'instance:signalled': (e) => ({
    who: e.name,
    type: e.type,
    text: `sending ${e.signal} to pid ${e.pid} and its group (${e.reason})`,
  }),
  'instance:exited': (e) => {
    const how = exitText(e.code, e.signal, e.killedAfterMs);
    const text =
      e.state === 'done'
        ? `done (${how})`
        : e.state === 'stopped'
          ? how
          : `crashed: ${how}${e.restartInMs === undefined ? '' : `, restarting in ${formatDuration(e.restartInMs)}`}`;
    return { who: e.name, type: e.type, text };
  },
  'type:crash-looping': (e) =>
    sys(
      [
        `${e.type} is crash looping (${e.crashes} crashes within ${formatDuration(e.windowMs)}): not restarting it`,
        ...(e.lastLines.length > 0 ? ['  last output:', ...e.lastLines.map((line) => `    ${line}`)] : []),
      ].join('\n'),
    ),
};

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
      this.#write(
        `${this.#prefix(SYSTEM_NAME, undefined)}${type}: ${total} requests in ${formatDuration(periodMs)} (${byStatus}) · ${m.hops} hops · ${m.afterRestart} after a restart\n`,
      );
    }
    this.#requests.clear();
    this.#marks.clear();
  }

  #count(event: EventOf<'request:done'>): void {
    const statuses = this.#requests.get(event.type) ?? new Map<number, number>();
    statuses.set(event.status, (statuses.get(event.status) ?? 0) + 1);
    this.#requests.set(event.type, statuses);
    const m = this.#marks.get(event.type) ?? { hops: 0, afterRestart: 0 };
    if (event.hop) m.hops++;
    if (event.afterRestart) m.afterRestart++;
    this.#marks.set(event.type, m);
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
    const code = type === undefined ? 97 : typeColor(this.#types.get(type) ?? 0);
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
