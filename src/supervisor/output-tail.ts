// The last bytes an instance wrote, kept for error messages ("last output:").
//
// Copied into one fixed buffer: keeping references to the output chunks themselves let every chunk live
// long enough to be promoted to V8's old generation, so their memory was freed only by full collections
// (bench:logs: ~40 MB of output buffers waiting; peak RSS 121-129 MB at 3M lines, 66-76 MB with the ring).
export class OutputTail {
  readonly #ring: Buffer;
  /** bytes written so far; the next byte goes to #written % capacity */
  #written = 0;

  constructor(capacity: number) {
    this.#ring = Buffer.alloc(capacity);
  }

  push(data: Buffer): void {
    const capacity = this.#ring.length;
    const kept = data.length > capacity ? data.subarray(data.length - capacity) : data;
    const at = (this.#written + data.length - kept.length) % capacity;
    const first = kept.copy(this.#ring, at);
    if (first < kept.length) kept.copy(this.#ring, 0, first);
    this.#written += data.length;
  }

  /** the kept bytes, oldest first */
  bytes(): Buffer {
    const capacity = this.#ring.length;
    if (this.#written <= capacity) return Buffer.from(this.#ring.subarray(0, this.#written));
    const at = this.#written % capacity;
    return Buffer.concat([this.#ring.subarray(at), this.#ring.subarray(0, at)]);
  }

  /** the last `count` whole or partial lines, decoded as UTF-8 (a line cut by the capacity loses its start) */
  lines(count: number): string[] {
    const lines = this.bytes().toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (this.#written > this.#ring.length) lines.shift();
    return lines.slice(-count);
  }
}
