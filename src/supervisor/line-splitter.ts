const NEWLINE = 0x0a;
/** a line longer than this is cut, so one endless line cannot hold unbounded memory */
export const MAX_LINE = 1024 * 1024;

// Cuts a byte stream into whole lines: push() hands the complete lines so far (ending in \n) to `emit`.
// Splitting on the 0x0a byte is safe for UTF-8: it never occurs inside a multi-byte character.
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  push(chunk: Buffer, emit: (lines: Buffer) => void): void {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      if (this.#pendingBytes >= MAX_LINE) this.flush(emit);
      return;
    }
    let start = 0;
    if (this.#pendingBytes > 0) {
      // only the line that was cut is copied; the chunk's other lines go out as they are
      start = chunk.indexOf(NEWLINE) + 1;
      this.#pending.push(chunk.subarray(0, start));
      emit(Buffer.concat(this.#pending, this.#pendingBytes + start));
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    if (start <= last) emit(chunk.subarray(start, last + 1));
    if (last + 1 < chunk.length) {
      this.#pending.push(Buffer.from(chunk.subarray(last + 1)));
      this.#pendingBytes = chunk.length - last - 1;
    }
  }

  // The partial last line, terminated, at end of stream (or when it grew past MAX_LINE).
  flush(emit: (lines: Buffer) => void): void {
    if (this.#pendingBytes === 0) return;
    this.#pending.push(Buffer.from('\n'));
    const line = Buffer.concat(this.#pending, this.#pendingBytes + 1);
    this.#pending = [];
    this.#pendingBytes = 0;
    emit(line);
  }
}
