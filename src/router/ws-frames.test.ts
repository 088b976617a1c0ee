import { describe, expect, test } from 'vitest';

import { FrameCounter } from './ws-frames.js';

// a frame as a client (masked) or a server (unmasked) writes it
function frame(payload: Buffer, { fin = true, opcode = 1, masked = false } = {}): Buffer {
  const length = payload.length;
  const head =
    length < 126
      ? Buffer.from([0, length])
      : length < 65536
        ? Buffer.from([0, 126, length >> 8, length & 255])
        : Buffer.concat([Buffer.from([0, 127]), Buffer.alloc(8)]);
  if (length >= 65536) head.writeBigUInt64BE(BigInt(length), 2);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (masked) head[1] = (head[1] ?? 0) | 0x80;
  return Buffer.concat([head, masked ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0), payload]);
}

describe('FrameCounter', () => {
  test('counts whole messages of every size, split anywhere, skipping control frames and fragments', () => {
    const stream = Buffer.concat([
      frame(Buffer.from('hi'), { masked: true }),
      frame(Buffer.alloc(300, 7)),
      frame(Buffer.alloc(70_000, 1), { opcode: 2 }),
      frame(Buffer.from('ping'), { opcode: 9 }),
      frame(Buffer.from('part'), { fin: false }),
      frame(Buffer.from(' two'), { opcode: 0 }),
    ]);
    const counter = new FrameCounter();
    expect(counter.push(stream)).toBe(4);
    expect(counter.closed).toBe(false);
    counter.push(frame(Buffer.from([3, 232]), { opcode: 8 }));
    expect(counter.closed).toBe(true);
    for (const size of [1, 3, 7, 1000]) {
      const counter = new FrameCounter();
      let n = 0;
      for (let i = 0; i < stream.length; i += size) n += counter.push(stream.subarray(i, i + size));
      expect(n, `chunks of ${size}`).toBe(4);
    }
  });
});
