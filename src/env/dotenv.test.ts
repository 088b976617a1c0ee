import { describe, expect, test } from 'vitest';

import { expandValue, parseEnvFile } from './dotenv.js';

const parse = (text: string, inherited: Record<string, string> = {}): Record<string, string> => {
  const result = parseEnvFile(text, '.env', {}, inherited);
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => `${e.where}: ${e.message}`).join('\n'));
  return result.values;
};
const one = (line: string): string | undefined => Object.values(parse(line))[0];

describe('Foreman spec cases (engine_spec "environment")', () => {
  test.each([
    ['FOO=bar', 'bar'],
    ['BAZ="qux"', 'qux'],
    ["FRED='barney'", 'barney'],
    ['OTHER="escaped\\"quote"', 'escaped"quote'],
    ['URL="http://example.com/api?foo=bar&baz=1"', 'http://example.com/api?foo=bar&baz=1'],
    ['FOO="bar\\nbaz"', 'bar\nbaz'],
    ['FOO=baz', 'baz'],
    ['FOO=a=b', 'a=b'],
    ['FOO=', ''],
    ['FOO=""', ''],
    ["FOO='a\\nb'", 'a\\nb'],
  ])('%s', (line, expected) => {
    expect(one(line)).toBe(expected);
  });

  test('the last duplicate wins', () => {
    expect(parse('FOO=one\nFOO=two')).toEqual({ FOO: 'two' });
  });
});

describe('honcho test cases', () => {
  test.each([
    ['FOO=bar', { FOO: 'bar' }],
    ['FOO=bar\nBAZ=qux', { FOO: 'bar', BAZ: 'qux' }],
    ['#commented: command', {}],
    ["MYVAR='hello\"world'", { MYVAR: 'hello"world' }],
    ['MYVAR="hello\'world"', { MYVAR: "hello'world" }],
    ['MYVAR=\'"surrounded"\'', { MYVAR: '"surrounded"' }],
    ['MYVAR=user@domain.com', { MYVAR: 'user@domain.com' }],
    ['MYVAR=~pun|u@|0n$=', { MYVAR: '~pun|u@|0n$=' }],
    ['MYVAR=⋃ñᴉ—☪ó∂ǝ', { MYVAR: '⋃ñᴉ—☪ó∂ǝ' }],
    ["MYVAR='sp ace'", { MYVAR: 'sp ace' }],
    ['FOO="bar # not comment"', { FOO: 'bar # not comment' }],
    ['FOO=bar # comment', { FOO: 'bar' }],
    ['FOO = bar', { FOO: 'bar' }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('godotenv cases we share', () => {
  test('export prefix', () => expect(parse('export OPTION_A=2')).toEqual({ OPTION_A: '2' }));
  test('inline comment after a space', () => expect(one('qux=thud # fred # other')).toBe('thud'));
  test('multi-line double-quoted value', () =>
    expect(parse('OPTION_L="line 1\nline 2"\nNEXT=x')).toEqual({ OPTION_L: 'line 1\nline 2', NEXT: 'x' }));
  test('$VAR and ${VAR} expand, an unknown one becomes empty', () => {
    expect(parse('FOO=foo\nBAR=$FOO\nBAZ=${FOO}bar\nQUX=[$NOPE]')).toEqual({
      FOO: 'foo',
      BAR: 'foo',
      BAZ: 'foobar',
      QUX: '[]',
    });
  });
  test('single quotes do not expand; \\$ escapes', () => {
    expect(parse("FOO=foo\nA='$FOO'\nB=\\$FOO")).toEqual({ FOO: 'foo', A: '$FOO', B: '$FOO' });
  });
});

describe('deliberate differences, pinned', () => {
  test('$VAR expands from the inherited environment (Foreman, honcho: literal)', () => {
    expect(parse('DIR=$HOME/x\nP=${PATH_X}:/bin', { HOME: '/home/me', PATH_X: '/usr' })).toEqual({
      DIR: '/home/me/x',
      P: '/usr:/bin',
    });
  });
  test('earlier keys win over inherited ones in expansion (env files override the environment)', () => {
    expect(parse('HOME=/app\nDIR=$HOME/x', { HOME: '/home/me' })).toEqual({ HOME: '/app', DIR: '/app/x' });
  });
  test('${VAR:-default}', () => expect(parse('A=${NOPE:-fallback}')).toEqual({ A: 'fallback' }));
  test('a # with no space before it also starts a comment (dotenv; godotenv keeps fred#qux)', () => {
    expect(one('thud=fred#qux # other')).toBe('fred');
  });
  test("'a\\nb' stays literal in single quotes (honcho expands it)", () =>
    expect(one("NEWLINES='foo\\nbar'")).toBe('foo\\nbar'));
  test('FOO=a b keeps the space (honcho gives ab)', () => expect(one('FOO=a b')).toBe('a b'));

  test('a line that is not an assignment is an error with file and line (the others skip it)', () => {
    const result = parseEnvFile('GOOD=1\njust words\n\n# ok\nK:v\n', '.env.dev', {}, {});
    expect(result.errors.map((e) => `${e.where}: ${e.message}`)).toEqual([
      '.env.dev:2: not a variable assignment: "just words"',
      '.env.dev:5: not a variable assignment: "K:v"',
    ]);
    expect(result.values).toEqual({ GOOD: '1' });
  });

  test('lines inside a multi-line value are not mistaken for errors', () => {
    expect(parseEnvFile('KEY="-----BEGIN-----\nabc def\n-----END-----"\n', '.env', {}, {}).errors).toEqual([]);
  });
});

describe('expandValue', () => {
  const lookup = (name: string): string | undefined => ({ A: 'a', EMPTY: '' })[name];
  test.each([
    ['$A', 'a'],
    ['${A}b', 'ab'],
    ['$A$A', 'aa'],
    ['${EMPTY:-x}', 'x'],
    ['${A:-x}', 'a'],
    ['\\$A', '$A'],
    ['$', '$'],
    ['$1', '$1'],
    ['cost: 5$', 'cost: 5$'],
  ])('%s -> %s', (input, output) => {
    expect(expandValue(input, lookup)).toBe(output);
  });
});

describe('one grammar', () => {
  test('a line is an error or a value, never both (dotenv read `K: v` as K=v while the line check refused it)', () => {
    const result = parseEnvFile('K: v\nGOOD=1\n', '.env', {}, {});
    expect(result.errors.map((e) => e.where)).toEqual(['.env:1']);
    expect(result.values).toEqual({ GOOD: '1' });
  });
  test('an unclosed quote is an error at the line that opens it, not a value that swallows the rest of the file', () => {
    const result = parseEnvFile('A="open\nB=2\nC=3\n', '.env', {}, {});
    expect(result.errors.map((e) => `${e.where}: ${e.message}`)).toEqual([
      '.env:1: A: the " that opens its value is never closed',
    ]);
    expect(result.values).toEqual({ B: '2', C: '3' });
  });
  test('expansion sees only the keys above (file order), as a shell reading the file would', () => {
    expect(parse('A=$B\nB=b\nC=$B')).toEqual({ A: '', B: 'b', C: 'b' });
  });
});
