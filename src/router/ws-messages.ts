// Reads the WebSocket messages of one direction of a spliced connection, for `start --record`: frames
// unmasked, fragments joined, control frames (ping, pong, close) skipped. A message over `limit` bytes
// keeps its first `limit` bytes. Only used when recording: FrameCounter counts without copying.

export interface WsMessage {
  /** 1 text, 2 binary */
  opcode: number;
  data: Buffer;
}

export class MessageReader {
  readonly #limit: number;
  #buffer: Buffer = Buffer.alloc(0);
  /** the message being assembled from fragments */
  #opcode = 0;
  #parts: Buffer[] = [];
  #kept = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** the complete data messages this chunk finishes */
  push(chunk: Buffer): WsMessage[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: WsMessage[] = [];
    for (;;) {
      const frame = this.#frame();
      if (!frame) return out;
      const { fin, opcode, payload } = frame;
      if (opcode >= 8) continue;
      if (opcode !== 0) {
        this.#opcode = opcode;
        this.#parts = [];
        this.#kept = 0;
      }
      if (this.#kept < this.#limit) {
        const part = payload.subarray(0, this.#limit - this.#kept);
        this.#parts.push(part);
        this.#kept += part.length;
      }
      if (fin && this.#opcode !== 0) {
        out.push({ opcode: this.#opcode, data: Buffer.concat(this.#parts) });
        this.#opcode = 0;
        this.#parts = [];
      }
    }
  }

  #frame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const b = this.#buffer;
    if (b.length < 2) return undefined;
    const b0 = b[0] ?? 0;
    const b1 = b[1] ?? 0;
    const short = b1 & 0x7f;
    const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
    const masked = (b1 & 0x80) !== 0;
    const headLength = 2 + extra + (masked ? 4 : 0);
    if (b.length < headLength) return undefined;
    const length = extra === 2 ? b.readUInt16BE(2) : extra === 8 ? Number(b.readBigUInt64BE(2)) : short;
    if (b.length < headLength + length) return undefined;
    // a copy: the chunk belongs to the socket, and unmasking writes
    const payload = Buffer.from(b.subarray(headLength, headLength + length));
    if (masked) {
      const mask = b.subarray(2 + extra, headLength);
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
    }
    this.#buffer = b.subarray(headLength + length);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  }
}
