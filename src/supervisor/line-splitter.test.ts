import { describe, expect, test } from 'vitest';

import { LineSplitter, MAX_LINE } from './line-splitter.js';

const text = (data: Buffer | undefined): string | undefined => data?.toString('utf8');

describe('LineSplitter', () => {
  test('whole lines pass through; a partial line waits for its end', () => {
    const splitter = new LineSplitter();
    expect(text(splitter.push(Buffer.from('one\ntw')))).toBe('one\n');
    expect(text(splitter.push(Buffer.from('o')))).toBeUndefined();
    expect(text(splitter.push(Buffer.from('\nthree\nfo')))).toBe('two\nthree\n');
    expect(text(splitter.flush())).toBe('fo\n');
    expect(splitter.flush()).toBeUndefined();
  });
  test('a multi-byte character cut between chunks is rejoined intact', () => {
    const bytes = Buffer.from('héllo\n');
    const splitter = new LineSplitter();
    expect(splitter.push(bytes.subarray(0, 2))).toBeUndefined();
    expect(text(splitter.push(bytes.subarray(2)))).toBe('héllo\n');
  });
  test('an endless line is cut at MAX_LINE rather than held forever', () => {
    const splitter = new LineSplitter();
    const out = splitter.push(Buffer.alloc(MAX_LINE, 'x'));
    expect(out?.length).toBe(MAX_LINE + 1);
  });
});
