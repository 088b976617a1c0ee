export interface RingTarget {
  /** the callback runs once `chunk` has been handed on (Node's Writable contract), in write order */
  write(chunk: Buffer, done: (error?: Error | null) => void): boolean;
}

// Encodes output text into one buffer that is reused, and writes views of it.
//
// A relay that allocated a new buffer for every chunk of output made the allocator hand that memory back to
// the kernel and fault it in again, over and over (bench:logs: ~31,000 page faults per million lines; ~17,000
// with the ring).
// A region of the ring is reused once the stream has called back for its write; text that finds no free
// region (a slow stdout, or a chunk larger than the ring) gets a buffer of its own.
export class WriteRing {
  readonly #ring: Buffer;
  readonly #target: RingTarget;
  /** regions written and not yet called back, oldest first; undefined marks a write from its own buffer */
  readonly #inFlight: ({ start: number; end: number } | undefined)[] = [];
  #inRing = 0;
  /** where the newest region ends */
  #end = 0;

  constructor(size: number, target: RingTarget) {
    this.#ring = Buffer.allocUnsafe(size);
    this.#target = target;
  }

  write(text: string, encoding: 'latin1' | 'utf8'): boolean {
    if (text === '') return true;
    const at = this.#place(encoding === 'latin1' ? text.length : Buffer.byteLength(text, 'utf8'));
    if (at === undefined) {
      this.#inFlight.push(undefined);
      return this.#target.write(Buffer.from(text, encoding), this.#release);
    }
    const end = at + this.#ring.write(text, at, encoding);
    this.#inFlight.push({ start: at, end });
    this.#inRing++;
    this.#end = end;
    return this.#target.write(this.#ring.subarray(at, end), this.#release);
  }

  // Where `size` bytes fit without touching a region in flight, if anywhere.
  #place(size: number): number | undefined {
    if (size > this.#ring.length) return undefined;
    if (this.#inRing === 0) return 0;
    const oldest = this.#inFlight.find((region) => region !== undefined)?.start ?? 0;
    if (oldest < this.#end) {
      // in flight: [oldest, end); free: after end, then from the start of the ring up to oldest
      if (this.#end + size <= this.#ring.length) return this.#end;
      return size <= oldest ? 0 : undefined;
    }
    // wrapped: in flight from oldest to the ring's end and from its start to end; free: [end, oldest)
    return this.#end + size <= oldest ? this.#end : undefined;
  }

  readonly #release = (): void => {
    if (this.#inFlight.shift() !== undefined) this.#inRing--;
  };

  /** for tests: bytes of the ring held by writes in flight */
  get bytesInFlight(): number {
    return this.#inFlight.reduce((sum, region) => sum + (region ? region.end - region.start : 0), 0);
  }
}
