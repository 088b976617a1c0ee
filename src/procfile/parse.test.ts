import { describe, expect, test } from 'vitest';

import { parseProcfile } from './parse.js';

const names = (text: string): Record<string, string> => {
  const result = parseProcfile(text);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.where}: ${e.message}`).join('\n'));
  return Object.fromEntries(result.entries.map((e) => [e.name, e.command]));
};
const errors = (text: string): string[] => {
  const result = parseProcfile(text, 'Procfile');
  return result.ok ? [] : result.errors.map((e) => `${e.where}: ${e.message}`);
};

describe('Foreman spec cases', () => {
  // spec/spec_helper.rb write_procfile: blank line, TAB after colon, _ and - in names, a comment
  const fixture = 'alpha: ./alpha\n\nbravo:\t./bravo\nfoo_bar:\t./foo_bar\nfoo-bar:\t./foo-bar\n# baz:\t./baz\n';

  test('entries, tab after colon, _ and - in names; blank and comment lines ignored', () => {
    expect(names(fixture)).toEqual({
      alpha: './alpha',
      bravo: './bravo',
      foo_bar: './foo_bar',
      'foo-bar': './foo-bar',
    });
  });

  test('keeps file order and 0-based entry indexes (for the +100 port scheme) with 1-based lines', () => {
    const result = parseProcfile(fixture);
    expect(result.ok && result.entries.map((e) => [e.name, e.index, e.line])).toEqual([
      ['alpha', 0, 1],
      ['bravo', 1, 3],
      ['foo_bar', 2, 4],
      ['foo-bar', 3, 5],
    ]);
  });

  test('a file with only a newline: no processes defined', () => {
    expect(errors('\n')).toEqual(['Procfile: no processes defined']);
  });

  test('\\r\\n line endings', () => {
    expect(names('web: a\r\nworker: b\r\n')).toEqual({ web: 'a', worker: 'b' });
  });
});

describe('honcho test cases', () => {
  test.each([
    ['web: command', { web: 'command' }],
    ['foo: python foo.py\nbar: python bar.py', { foo: 'python foo.py', bar: 'python bar.py' }],
    ['web: command', { web: 'command' }],
    ['-foo_bar: command', { '-foo_bar': 'command' }],
    ['web: sh -c "echo $FOOBAR" >/dev/null 2>&1', { web: 'sh -c "echo $FOOBAR" >/dev/null 2>&1' }],
  ])('%j', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  test('a comment-only file has no processes', () => {
    expect(errors('#commented: command')).toEqual(['Procfile: no processes defined']);
  });

  test('insertion order is preserved', () => {
    const result = parseProcfile('one: 1\ntwo: 2\nthree: 3\nfour: 4');
    expect(result.ok && result.entries.map((e) => e.name)).toEqual(['one', 'two', 'three', 'four']);
  });

  test('duplicate names are an error naming both lines (as honcho; Foreman keeps both)', () => {
    expect(errors('web: a\nworker: b\nweb: c')).toEqual([
      'Procfile:3: process type "web" is defined twice (first on line 1)',
    ]);
  });
});

describe('deliberate differences, pinned', () => {
  test('web:cmd without a space is parsed (Foreman, honcho; Overmind ignores it)', () => {
    expect(names('web:cmd')).toEqual({ web: 'cmd' });
  });

  test('leading and trailing whitespace is trimmed (Foreman and honcho ignore such lines)', () => {
    expect(names('   web: node server.js   ')).toEqual({ web: 'node server.js' });
  });

  test('a line that is not `name: command` is an error with its line (Foreman and honcho skip it silently)', () => {
    expect(errors('web: ok\n+foo: command\njust words\nweb : x')).toEqual([
      'Procfile:2: invalid process name "+foo": "+foo: command"',
      'Procfile:3: no `name:` on this line: "just words"',
      'Procfile:4: invalid process name "web ": "web : x"',
    ]);
  });

  test('a name with no command is an error', () => {
    expect(errors('web:')).toEqual(['Procfile:1: process type "web" has no command']);
  });

  test('every error is reported, not only the first', () => {
    expect(errors('a b\nweb: x\nc d\n')).toHaveLength(2);
  });

  test('a byte order mark is ignored', () => {
    expect(names('\uFEFFweb: x')).toEqual({ web: 'x' });
  });
});
