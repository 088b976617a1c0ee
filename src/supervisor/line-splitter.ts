const NEWLINE = 0x0a;
/** a line longer than this is cut, so one endless line cannot hold unbounded memory */
export const MAX_LINE = 1024 * 1024;

// Cuts a byte stream into whole lines: push() returns the complete lines so far (ending in \n), or undefined.
// Splitting on the 0x0a byte is safe for UTF-8: it never occurs inside a multi-byte character.
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  push(chunk: Buffer): Buffer | undefined {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      return this.#pendingBytes >= MAX_LINE ? this.flush() : undefined;
    }
    const head = chunk.subarray(0, last + 1);
    const tail = chunk.subarray(last + 1);
    let lines: Buffer = head;
    if (this.#pendingBytes > 0) {
      this.#pending.push(head);
      lines = Buffer.concat(this.#pending, this.#pendingBytes + head.length);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    if (tail.length > 0) {
      this.#pending.push(Buffer.from(tail));
      this.#pendingBytes = tail.length;
    }
    return lines;
  }

  // The partial last line, terminated, at end of stream (or when it grew past MAX_LINE).
  flush(): Buffer | undefined {
    if (this.#pendingBytes === 0) return undefined;
    this.#pending.push(Buffer.from('\n'));
    const line = Buffer.concat(this.#pending, this.#pendingBytes + 1);
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }
}
