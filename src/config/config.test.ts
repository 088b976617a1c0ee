import { describe, expect, test } from 'vitest';

import { parseArgv } from '../cli/argv.js';
import { parseDuration } from './duration.js';
import { mergeOptions } from './merge.js';
import { envName, flagName } from './options.js';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    const { where, hint } = error as { where?: string; hint?: string };
    return `${where ? `${where}: ` : ''}${(error as Error).message} | ${hint ?? ''}`;
  }
  return 'no error';
};

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['5s', 5000],
    ['5', 5000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
    ['0', 0],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  test.each(['', 'soon', '5 minutes', '-1s', '1d'])('%j is unreadable', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('parseArgv', () => {
  test('long, short, inline and negated options; positionals', () => {
    const parsed = parseArgv('start', [
      'web',
      '-m',
      'web=2',
      '--port=6000',
      '--no-timestamp',
      '-f',
      'P',
      '--ready-timeout',
      '2s',
      'worker',
    ]);
    expect(parsed.flags).toEqual({
      formation: 'web=2',
      port: '6000',
      timestamp: false,
      procfile: 'P',
      readyTimeout: '2s',
    });
    expect(parsed.positionals).toEqual(['web', 'worker']);
  });
  test('run stops at the first positional: options after the command belong to it (Foreman run)', () => {
    const parsed = parseArgv('run', ['-e', '.env', 'grep', '-e', 'FOO', '.env']);
    expect(parsed.flags).toEqual({ env: '.env' });
    expect(parsed.rest).toEqual(['grep', '-e', 'FOO', '.env']);
  });
  test('everything after -- is the command', () => {
    expect(parseArgv('run', ['--', 'ls', '-la']).rest).toEqual(['ls', '-la']);
  });
  test('POSIX short options: a value glued to its letter, letters grouped, the last one taking a value', () => {
    expect(parseArgv('start', ['-mweb=2']).flags).toEqual({ formation: 'web=2' });
    expect(parseArgv('start', ['-cf', 'Procfile.dev']).flags).toEqual({ color: true, procfile: 'Procfile.dev' });
    expect(parseArgv('start', ['-p5100', '-tfoo']).flags).toEqual({ port: '5100', timeout: 'foo' });
  });
  test('--no-NAME is false and takes no value; --NAME=false is the way to give one', () => {
    expect(parseArgv('start', ['--no-color', '--timestamp=false']).flags).toEqual({ color: false, timestamp: 'false' });
    expect(message(() => parseArgv('start', ['--no-color=1']))).toBe(
      '--no-color: takes no value | write --no-color alone, or --color=false',
    );
  });
  test('a value that looks like the next option is a forgotten value; a negative number is a value', () => {
    expect(message(() => parseArgv('start', ['--port', '--seed', '3']))).toBe('--port: needs a value | write --port N');
    expect(parseArgv('start', ['--port', '-1']).flags).toEqual({ port: '-1' });
    expect(parseArgv('start', ['--port=-x']).flags).toEqual({ port: '-x' });
  });
  test('an unknown short option, alone or in a group', () => {
    expect(message(() => parseArgv('start', ['-cz']))).toBe(
      '-z: unknown option | run `amnesia start --help` for the options',
    );
  });
  test('an unknown option suggests the closest one', () => {
    expect(message(() => parseArgv('start', ['--formaton', 'web=1']))).toBe(
      '--formaton: unknown option | did you mean --formation? (amnesia start --help lists every option)',
    );
  });
  test('an option of another command is named as such', () => {
    expect(message(() => parseArgv('validate', ['--timeout', '3s']))).toBe(
      '--timeout: not an option of `amnesia validate` | run `amnesia validate --help` for its options',
    );
  });
  test("a short letter is the command's own option: -f is --procfile for start and ps, --follow for logs", () => {
    expect(parseArgv('start', ['-f', 'Procfile.dev']).flags).toEqual({ procfile: 'Procfile.dev' });
    expect(parseArgv('ps', ['-f', 'Procfile.dev']).flags).toEqual({ procfile: 'Procfile.dev' });
    expect(parseArgv('logs', ['-fn', '20', 'web.1'])).toMatchObject({
      flags: { follow: true, lines: '20' },
      positionals: ['web.1'],
    });
    expect(message(() => parseArgv('logs', ['--procfile', 'P']))).toBe(
      '--procfile: not an option of `amnesia logs` | run `amnesia logs --help` for its options',
    );
    expect(message(() => parseArgv('start', ['-n', '3']))).toBe(
      '-n: unknown option | run `amnesia start --help` for the options',
    );
  });
  test('a missing value is an error', () => {
    expect(message(() => parseArgv('start', ['--formation']))).toBe(
      '--formation: needs a value | write --formation SPEC',
    );
  });
});

describe('mergeOptions', () => {
  test('defaults < amnesia.json < AMNESIA_* < flags', () => {
    const merged = mergeOptions('start', {
      flags: { port: '7000' },
      env: { AMNESIA_FORMATION: 'web=2', AMNESIA_PORT: '6000', AMNESIA_TIMESTAMP: 'false' },
      file: { path: 'amnesia.json', values: { formation: 'web=9', 'ready-timeout': '2s', port: 5500 } },
    });
    expect(merged).toMatchObject({
      port: 7000,
      formation: 'web=2',
      readyTimeout: 2000,
      timestamp: false,
      timeout: 5000,
      route: ['web'],
    });
  });
  test('camelCase keys work in amnesia.json too', () => {
    expect(
      mergeOptions('start', { flags: {}, env: {}, file: { path: 'amnesia.json', values: { exitOnCrash: true } } })
        .exitOnCrash,
    ).toBe(true);
  });
  test('an unknown key in amnesia.json is an error with a suggestion', () => {
    expect(
      message(() =>
        mergeOptions('start', { flags: {}, env: {}, file: { path: 'amnesia.json', values: { formaiton: 'web=1' } } }),
      ),
    ).toBe('amnesia.json: unknown option "formaiton" | did you mean "formation"? keys are the long option names');
  });
  test.each([
    [{ timeout: 'soon' }, '--timeout: "soon" is not a duration | write e.g. 500ms, 5s, 2m or a number of seconds'],
    [{ port: '99999' }, '--port: "99999" is not a port number | use a whole number from 1 to 65535'],
    [{ port: 'abc' }, '--port: "abc" is not a port number | use a whole number from 1 to 65535'],
  ])('bad flag value %j', (flags, expected) => {
    expect(message(() => mergeOptions('start', { flags, env: {} }))).toBe(expected);
  });
  test('a bad AMNESIA_* value names the variable', () => {
    expect(message(() => mergeOptions('start', { flags: {}, env: { AMNESIA_EXIT_ON_CRASH: 'maybe' } }))).toBe(
      'AMNESIA_EXIT_ON_CRASH: "maybe" is not a boolean | use true or false',
    );
  });
  test('names', () => {
    expect([flagName('readyTimeout'), envName('readyTimeout')]).toEqual(['ready-timeout', 'AMNESIA_READY_TIMEOUT']);
  });
});
