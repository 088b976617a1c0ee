// The run's recent log for `amnesia logs`: the instances' output lines and amnesia's own lines about them,
// in the words of the headless renderer (requests are left out, as its summary does). Keeps the newest
// LOG_LINES; followers get each new line as it comes.
import type { RunEvent } from '../events/types.js';
import { FORMATTERS, type Line } from '../render/headless/line-formatters.js';
import { RingBuffer } from '../shared/ring-buffer.js';
import type { LogRecord } from './protocol.js';

export const LOG_LINES = 1000;
/** a line longer than this is cut (as the UI does): a reader asked for lines, not megabytes */
const MAX_LINE = 4096;

export class LogTail {
  readonly #lines = new RingBuffer<LogRecord>(LOG_LINES);
  readonly #followers = new Set<(record: LogRecord) => void>();
  readonly #redact: (text: string) => string;

  constructor(redact: (text: string) => string) {
    this.#redact = redact;
  }

  handle = (event: RunEvent): void => {
    if (event.kind === 'instance:output') {
      const lines = event.data.toString('utf8').split('\n');
      lines.pop();
      for (const text of lines) this.#add({ name: event.name, type: event.type, text, event: false });
      return;
    }
    if (event.kind === 'request:done' || event.kind === 'smoke:output') return;
    const line = (FORMATTERS[event.kind] as (e: RunEvent) => Line | null)(event);
    if (!line) return;
    for (const text of this.#redact(line.text).split('\n')) {
      this.#add({ name: line.who, type: line.type, text, event: true });
    }
  };

  /** the buffered lines, oldest first */
  recent(): LogRecord[] {
    return this.#lines.toArray();
  }

  follow(follower: (record: LogRecord) => void): () => void {
    this.#followers.add(follower);
    return () => this.#followers.delete(follower);
  }

  #add(record: LogRecord): void {
    if (record.text.length > MAX_LINE) record.text = record.text.slice(0, MAX_LINE);
    this.#lines.push(record);
    for (const follower of this.#followers) follower(record);
  }
}
