import { describe, expect, test } from 'vitest';

import { LineSplitter, MAX_LINE } from './line-splitter.js';

// what one push() or flush() hands out, each emitted piece decoded
const pieces = (run: (emit: (lines: Buffer) => void) => void): string[] => {
  const out: string[] = [];
  run((lines) => out.push(lines.toString('utf8')));
  return out;
};

describe('LineSplitter', () => {
  test('whole lines pass through; a partial line waits for its end', () => {
    const splitter = new LineSplitter();
    expect(pieces((emit) => splitter.push(Buffer.from('one\ntw'), emit))).toEqual(['one\n']);
    expect(pieces((emit) => splitter.push(Buffer.from('o'), emit))).toEqual([]);
    expect(pieces((emit) => splitter.push(Buffer.from('\nthree\nfo'), emit))).toEqual(['two\n', 'three\n']);
    expect(pieces((emit) => splitter.flush(emit))).toEqual(['fo\n']);
    expect(pieces((emit) => splitter.flush(emit))).toEqual([]);
  });
  test('only the line that was cut is copied; the rest of the chunk goes out as a view of it', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('par'), () => undefined);
    const chunk = Buffer.from('tial\nwhole one\nwhole two\n');
    const out: Buffer[] = [];
    splitter.push(chunk, (lines) => out.push(lines));
    expect(out.map((b) => b.toString())).toEqual(['partial\n', 'whole one\nwhole two\n']);
    expect(out[1]?.buffer).toBe(chunk.buffer);
  });
  test('a chunk that only ends the cut line emits that line alone', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('abc'), () => undefined);
    expect(pieces((emit) => splitter.push(Buffer.from('def\n'), emit))).toEqual(['abcdef\n']);
    expect(pieces((emit) => splitter.flush(emit))).toEqual([]);
  });
  test('a multi-byte character cut between chunks is rejoined intact', () => {
    const bytes = Buffer.from('héllo\n');
    const splitter = new LineSplitter();
    expect(pieces((emit) => splitter.push(bytes.subarray(0, 2), emit))).toEqual([]);
    expect(pieces((emit) => splitter.push(bytes.subarray(2), emit))).toEqual(['héllo\n']);
  });
  test('the kept partial line is a copy: the reader may reuse its chunk', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.from('one\ntwo');
    splitter.push(chunk, () => undefined);
    chunk.fill('x');
    expect(pieces((emit) => splitter.push(Buffer.from('\n'), emit))).toEqual(['two\n']);
  });
  test('an endless line is cut at MAX_LINE rather than held forever', () => {
    const splitter = new LineSplitter();
    const out: Buffer[] = [];
    splitter.push(Buffer.alloc(MAX_LINE, 'x'), (lines) => out.push(lines));
    expect(out.map((b) => b.length)).toEqual([MAX_LINE + 1]);
  });
});
