// Instance output waiting for a frame. It is only queued as it arrives and decoded when a frame needs it,
// and only the newest chunks that can still fill the log buffer are kept: a flood costs a pointer per
// chunk, not a decode.
import type { RingBuffer } from './ring-buffer.js';
import type { LogLine } from './snapshot.js';

const MAX_LINE = 500;

export class OutputQueue {
  readonly #maxBytes: number;
  readonly #maxLines: number;
  #chunks: Array<{ name: string; type: string; data: Buffer }> = [];
  #bytes = 0;

  constructor(maxLines: number, maxBytes: number) {
    this.#maxLines = maxLines;
    this.#maxBytes = maxBytes;
  }

  get empty(): boolean {
    return this.#chunks.length === 0;
  }

  push(name: string, type: string, data: Buffer): void {
    this.#chunks.push({ name, type, data });
    this.#bytes += data.length;
    while (this.#bytes > this.#maxBytes && this.#chunks.length > 1)
      this.#bytes -= this.#chunks.shift()?.data.length ?? 0;
  }

  /** decodes what is queued into lines at the end of `logs` */
  drainInto(logs: RingBuffer<LogLine>): void {
    for (const { name, type, data } of this.#chunks.splice(0)) {
      const tail = data.length > this.#maxBytes ? data.subarray(data.length - this.#maxBytes) : data;
      const lines = tail.toString('utf8').split('\n');
      lines.pop();
      for (const text of lines.slice(-this.#maxLines))
        logs.push({ name, type, text: text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text });
    }
    this.#bytes = 0;
  }
}
