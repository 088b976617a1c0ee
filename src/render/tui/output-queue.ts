// Instance output waiting for a frame. It is only queued as it arrives and decoded when a frame needs it,
// and only the newest chunks that can still fill the log buffer are kept: a flood costs a pointer per
// chunk, not a decode. Lifecycle lines (started, crashed...) queue in the same order as the output around
// them. Every line gets the next sequence number: a scrolled view is pinned to one.
import type { RingBuffer } from '../../shared/ring-buffer.js';
import type { LogLine } from './snapshot.js';

const MAX_LINE = 500;

type Entry = { name: string; type: string; data: Buffer } | { name: string; type: string; event: string };

// A line with carriage returns (a progress bar redrawing itself) as a terminal shows it: each segment
// written over the start of the one before. A CRLF line ending is just the end of the line.
export function overprint(text: string): string {
  const segments = (text.endsWith('\r') ? text.slice(0, -1) : text).split('\r');
  let shown = '';
  for (const segment of segments) shown = segment + shown.slice(segment.length);
  return shown;
}

const clip = (text: string): string => (text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text);

export class OutputQueue {
  readonly #maxBytes: number;
  readonly #maxLines: number;
  #entries: Entry[] = [];
  #bytes = 0;
  #seq = 0;

  constructor(maxLines: number, maxBytes: number) {
    this.#maxLines = maxLines;
    this.#maxBytes = maxBytes;
  }

  get empty(): boolean {
    return this.#entries.length === 0;
  }

  push(name: string, type: string, data: Buffer): void {
    this.#entries.push({ name, type, data });
    this.#bytes += data.length;
    while (this.#bytes > this.#maxBytes && this.#entries.length > 1) {
      const dropped = this.#entries.shift();
      if (dropped && 'data' in dropped) this.#bytes -= dropped.data.length;
    }
  }

  /** a line of amnesia's own about an instance (drawn dim) */
  event(name: string, type: string, text: string): void {
    this.#entries.push({ name, type, event: text });
  }

  /** decodes what is queued into lines at the end of `logs` */
  drainInto(logs: RingBuffer<LogLine>): void {
    for (const entry of this.#entries.splice(0)) {
      const { name, type } = entry;
      if ('event' in entry) {
        logs.push({ seq: ++this.#seq, name, type, text: clip(entry.event), event: true });
        continue;
      }
      const { data } = entry;
      const tail = data.length > this.#maxBytes ? data.subarray(data.length - this.#maxBytes) : data;
      const lines = tail.toString('utf8').split('\n');
      lines.pop();
      for (const text of lines.slice(-this.#maxLines)) {
        const shown = text.includes('\r') ? overprint(text) : text;
        logs.push({ seq: ++this.#seq, name, type, text: clip(shown), event: false });
      }
    }
    this.#bytes = 0;
  }
}
