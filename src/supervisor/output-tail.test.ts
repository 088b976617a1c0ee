import { describe, expect, test } from 'vitest';

import { OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  test('keeps everything while it fits', () => {
    const tail = new OutputTail(64);
    tail.push(Buffer.from('one\ntwo\n'));
    tail.push(Buffer.from('thr'));
    tail.push(Buffer.from('ee\n'));
    expect(tail.lines(10)).toEqual(['one', 'two', 'three']);
    expect(tail.lines(2)).toEqual(['two', 'three']);
  });
  test('wraps around: the newest bytes win, and a line cut at the start is dropped', () => {
    const tail = new OutputTail(12);
    tail.push(Buffer.from('aaaa\nbbbb\n'));
    tail.push(Buffer.from('cccc\ndddd\n'));
    expect(tail.bytes().toString()).toBe('b\ncccc\ndddd\n');
    expect(tail.lines(10)).toEqual(['cccc', 'dddd']);
  });
  test('a chunk larger than the capacity keeps only its end', () => {
    const tail = new OutputTail(8);
    tail.push(Buffer.from('x'));
    tail.push(Buffer.from('0123456789\nabc\n'));
    expect(tail.bytes().toString()).toBe('789\nabc\n');
    expect(tail.lines(5)).toEqual(['abc']);
  });
  test('a copy, not a view: later writes to the pushed buffer do not change the tail', () => {
    const tail = new OutputTail(32);
    const chunk = Buffer.from('first\n');
    tail.push(chunk);
    chunk.fill('z');
    expect(tail.lines(1)).toEqual(['first']);
  });
  test('nothing written: no lines', () => {
    expect(new OutputTail(8).lines(3)).toEqual([]);
  });
});
