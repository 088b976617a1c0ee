import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, test } from 'vitest';

import type { ProcfileEntry } from '../procfile/parse.js';
import { gitignoreRule, globRule } from './ignore-rules.js';
import { reconcile } from './reconcile.js';

const entries = (spec: Record<string, string>): ProcfileEntry[] =>
  Object.entries(spec).map(([name, command], index) => ({ name, command, line: index + 1, index }));

describe('reconcile', () => {
  test('added types start with their formation count, removed ones stop, changed commands restart', () => {
    const result = reconcile(
      entries({ web: 'node a.js', worker: 'node w.js', clock: 'node c.js' }),
      ['web', 'worker', 'clock'],
      entries({ web: 'node a.js --fast', worker: 'node w.js', mailer: 'node m.js' }),
      new Map([
        ['web', 3],
        ['worker', 1],
        ['mailer', 2],
      ]),
    );
    expect(result).toEqual({ added: [{ type: 'mailer', count: 2 }], removed: ['clock'], changed: ['web'] });
  });
  test('a type whose count became 0 stops; nothing else moves', () => {
    expect(
      reconcile(
        entries({ web: 'x', worker: 'y' }),
        ['web', 'worker'],
        entries({ web: 'x', worker: 'y' }),
        new Map([
          ['web', 1],
          ['worker', 0],
        ]),
      ),
    ).toEqual({ added: [], removed: ['worker'], changed: [] });
  });
});

describe("gitignoreRule: git's own semantics", () => {
  const root = mkdtempSync(join(tmpdir(), 'amnesia-gitignore-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ['src/generated', 'packages/x/dist', 'sub/deeper', 'build'])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(
    join(root, '.gitignore'),
    '# build\ndist/\n/tmp\n*.log\nnode_modules\n!keep.log\nsrc/generated\nbuild/\n',
  );
  writeFileSync(join(root, 'sub/.gitignore'), '*.tmp\n!important.log\n');
  writeFileSync(join(root, 'sub/deeper/.gitignore'), '!again.tmp\n');
  // an ignored folder's .gitignore is never read: git does not look inside it
  writeFileSync(join(root, 'build/.gitignore'), '!*\n');
  const ignored = gitignoreRule(root);
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
    // negations, which the old glob translation dropped
    ['keep.log', false],
    ['logs/keep.log', false],
    // nested .gitignore files, which it never read
    ['sub/a.tmp', true],
    ['a.tmp', false],
    ['sub/important.log', false],
    ['sub/other.log', true],
    ['sub/deeper/again.tmp', false],
    ['sub/deeper/other.tmp', true],
    ['build/out.js', true],
  ])('%s ignored: %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });
  test('a folder-only pattern matches the folder when it is known to be one', () => {
    expect(ignored('dist', true)).toBe(true);
    expect(ignored('dist', false)).toBe(false);
  });
});

describe("globRule: the options' patterns, in the same syntax", () => {
  const rule = globRule(['*.sqlite3', '/uploads/', 'cache/**']);
  test.each([
    ['db.sqlite3', true],
    ['data/db.sqlite3', true],
    ['uploads/a.png', true],
    ['src/uploads/a.png', false],
    ['cache/x/y', true],
    ['node_modules/x', true],
    ['.git/HEAD', true],
    ['app.js', false],
  ])('%s ignored: %s', (path, expected) => {
    expect(rule(path)).toBe(expected);
  });
});
