import { describe, expect, test } from 'vitest';

import { colorWanted } from './color.js';

const tty = { isTTY: true, hasColors: () => true };
const pipe = { isTTY: false };

describe('colour by default', () => {
  test.each<[string, { isTTY: boolean; hasColors?: () => boolean }, Record<string, string>, boolean]>([
    ['a terminal', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['NO_COLOR on a terminal', tty, { NO_COLOR: '1' }, false],
    ['NO_COLOR empty is not set (no-color.org)', tty, { NO_COLOR: '' }, true],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false],
    ['FORCE_COLOR into a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR empty into a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR over NO_COLOR', pipe, { FORCE_COLOR: '2', NO_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a terminal', tty, { FORCE_COLOR: 'false' }, false],
    ['a terminal without colours', { isTTY: true, hasColors: () => false }, {}, false],
  ])('%s', (_, stream, env, expected) => {
    expect(colorWanted(stream, env)).toBe(expected);
  });
});
