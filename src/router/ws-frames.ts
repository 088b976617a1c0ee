// Counts the WebSocket messages in one direction of a spliced connection, reading only frame headers:
// payloads are skipped, never copied or unmasked. Control frames (ping, pong, close) and the non-final
// fragments of a message do not count.
export class FrameCounter {
  readonly #head = Buffer.alloc(14);
  #have = 0;
  /** payload bytes of the current frame still to skip */
  #skip = 0;
  /** a close frame went by: the connection is over for its peer, whenever TCP closes */
  closed = false;

  /** the complete data messages that this chunk finishes */
  push(chunk: Buffer): number {
    let messages = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      this.#head[this.#have++] = chunk[i++] ?? 0;
      if (this.#have < 2) continue;
      const b0 = this.#head[0] ?? 0;
      const b1 = this.#head[1] ?? 0;
      const short = b1 & 0x7f;
      const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
      if (this.#have < 2 + extra + (b1 & 0x80 ? 4 : 0)) continue;
      this.#skip =
        extra === 2 ? this.#head.readUInt16BE(2) : extra === 8 ? Number(this.#head.readBigUInt64BE(2)) : short;
      this.#have = 0;
      if (b0 & 0x80 && (b0 & 0x0f) < 8) messages++;
      if ((b0 & 0x0f) === 8) this.closed = true;
    }
    return messages;
  }
}
