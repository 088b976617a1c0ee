import { describe, expect, test } from 'vitest';

import { WriteRing } from './write-ring.js';

// A stream whose writes complete only when the test says so, as a slow pipe's would.
function slowTarget() {
  const pending: { chunk: Buffer; copy: string; done: () => void }[] = [];
  return {
    pending,
    write(chunk: Buffer, done: () => void): boolean {
      pending.push({ chunk, copy: chunk.toString('utf8'), done });
      return true;
    },
    /** completes the oldest write; returns what it held when written and what its bytes hold now */
    complete(): { written: string; now: string } {
      const next = pending.shift();
      if (!next) throw new Error('no write in flight');
      const now = next.chunk.toString('utf8');
      next.done();
      return { written: next.copy, now };
    },
  };
}

describe('WriteRing', () => {
  test('text goes out in order, as views of one buffer', () => {
    const target = slowTarget();
    const ring = new WriteRing(64, target);
    ring.write('one\n', 'latin1');
    ring.write('twö\n', 'utf8');
    expect(target.pending.map((p) => p.copy)).toEqual(['one\n', 'twö\n']);
    expect(target.pending[0]?.chunk.buffer).toBe(target.pending[1]?.chunk.buffer);
    expect(ring.bytesInFlight).toBe(4 + 5);
  });
  test('bytes still in flight are never overwritten, however the writes wrap around', () => {
    const target = slowTarget();
    const ring = new WriteRing(16, target);
    const lines = Array.from({ length: 40 }, (_, i) => `l${i}\n`.padStart(5, '0'));
    const seen: string[] = [];
    // keep two or three writes in flight at any time
    for (const [i, line] of lines.entries()) {
      ring.write(line, 'latin1');
      if (i % 3 !== 0) {
        const { written, now } = target.complete();
        expect(now).toBe(written);
        seen.push(written);
      }
    }
    while (target.pending.length > 0) seen.push(target.complete().now);
    expect(seen).toEqual(lines);
    expect(ring.bytesInFlight).toBe(0);
  });
  test('no room while a slow stream holds the ring: the text gets a buffer of its own', () => {
    const target = slowTarget();
    const ring = new WriteRing(8, target);
    ring.write('abcdef\n', 'latin1');
    ring.write('ghij\n', 'latin1');
    expect(ring.bytesInFlight).toBe(7);
    expect(target.complete()).toEqual({ written: 'abcdef\n', now: 'abcdef\n' });
    // the whole ring is free again, while the text written from its own buffer is still in flight
    ring.write('klmnopq\n', 'latin1');
    expect(ring.bytesInFlight).toBe(8);
    expect(target.complete()).toEqual({ written: 'ghij\n', now: 'ghij\n' });
    expect(target.complete()).toEqual({ written: 'klmnopq\n', now: 'klmnopq\n' });
    expect(ring.bytesInFlight).toBe(0);
  });
  test('text larger than the ring is written from its own buffer', () => {
    const target = slowTarget();
    const ring = new WriteRing(4, target);
    ring.write('too long\n', 'latin1');
    expect(target.pending[0]?.copy).toBe('too long\n');
    expect(ring.bytesInFlight).toBe(0);
  });
  test('UTF-8 text is measured in bytes, not characters', () => {
    const target = slowTarget();
    const ring = new WriteRing(8, target);
    ring.write('ééé\n', 'utf8');
    expect(ring.bytesInFlight).toBe(7);
    expect(target.pending[0]?.copy).toBe('ééé\n');
  });
});
