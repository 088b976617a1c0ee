import picomatch from 'picomatch';
import { describe, expect, test } from 'vitest';

import type { ProcfileEntry } from '../procfile/parse.js';
import { gitignoreGlobs } from './gitignore.js';
import { reconcile } from './reconcile.js';

const entries = (spec: Record<string, string>): ProcfileEntry[] => Object.entries(spec).map(([name, command], index) => ({ name, command, line: index + 1, index }));

describe('reconcile', () => {
  test('added types start with their formation count, removed ones stop, changed commands restart', () => {
    const result = reconcile(
      entries({ web: 'node a.js', worker: 'node w.js', clock: 'node c.js' }),
      ['web', 'worker', 'clock'],
      entries({ web: 'node a.js --fast', worker: 'node w.js', mailer: 'node m.js' }),
      new Map([['web', 3], ['worker', 1], ['mailer', 2]]),
    );
    expect(result).toEqual({ added: [{ type: 'mailer', count: 2 }], removed: ['clock'], changed: ['web'] });
  });
  test('a type whose count became 0 stops; nothing else moves', () => {
    expect(reconcile(entries({ web: 'x', worker: 'y' }), ['web', 'worker'], entries({ web: 'x', worker: 'y' }), new Map([['web', 1], ['worker', 0]]))).toEqual({ added: [], removed: ['worker'], changed: [] });
  });
});

describe('gitignoreGlobs', () => {
  const ignored = picomatch(gitignoreGlobs('# build\ndist/\n/tmp\n*.log\nnode_modules\n!keep.log\nsrc/generated\n'), { dot: true });
  test.each([
    ['dist/app.js', true],
    ['packages/x/dist/app.js', true],
    ['tmp/a', true],
    ['src/tmp/a', false],
    ['server.log', true],
    ['logs/server.log', true],
    ['node_modules/x/index.js', true],
    ['src/generated/a.ts', true],
    ['src/server.js', false],
  ])('%s ignored: %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });
});
