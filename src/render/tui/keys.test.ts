import type { Key } from 'ink';
import { describe, expect, test } from 'vitest';

import { keysOf } from './keys.js';

const plain: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const names = (input: string, key: Partial<Key> = {}): string[] =>
  keysOf(input, { ...plain, ...key }).map((k) => (k.name === 'char' ? k.text : k.name));

describe('keys from a chunk of terminal input', () => {
  test('a run of plain characters is one key per character, in order', () => {
    expect(names('rr')).toEqual(['r', 'r']);
    expect(names('\t\t')).toEqual(['tab', 'tab']);
    expect(names('error\r')).toEqual(['e', 'r', 'r', 'o', 'r', 'return']);
    expect(names('ab\x7fc')).toEqual(['a', 'b', 'backspace', 'c']);
    expect(names('q\x03')).toEqual(['q', 'interrupt']);
    expect(names('é ✓')).toEqual(['é', ' ', '✓']);
  });

  test('control characters are keys or nothing, never text', () => {
    expect(names('a\x00\x01\x1fb\n')).toEqual(['a', 'b', 'return']);
  });

  test('keys ink has named already (one escape sequence each) pass as that key', () => {
    expect(names('', { upArrow: true })).toEqual(['up']);
    expect(names('', { pageUp: true })).toEqual(['pageup']);
    expect(names('', { end: true })).toEqual(['end']);
    expect(names('', { tab: true, shift: true })).toEqual(['backtab']);
    expect(names('', { escape: true, meta: true })).toEqual(['escape']);
    expect(names('c', { ctrl: true })).toEqual(['interrupt']);
    expect(names('x', { ctrl: true })).toEqual([]);
    // Alt+x, or a sequence ink has no name for
    expect(names('[200~', { meta: true })).toEqual([]);
  });
});
