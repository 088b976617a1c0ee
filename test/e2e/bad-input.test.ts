import { describe, expect, test } from 'vitest';

import { amnesiaDone, freeBasePort, expectNoneLeft, makeApp } from './helpers.js';

// SPEC section 7: what is wrong, where, how to fix; exit 2; no stack trace; nothing left running.
async function expectUserError(
  files: Record<string, string | ((a: { node: (s: string) => string }) => string)>,
  args: string[],
  where: RegExp,
  env?: Record<string, string>,
): Promise<string> {
  const app = makeApp(files);
  const result = await amnesiaDone(args, { cwd: app.dir, ...(env ? { env } : {}) });
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^amnesia: error: /m);
  expect(result.stderr).toMatch(where);
  expect(result.stderr).toMatch(/hint: /);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expectNoneLeft(app.dir);
  return result.stderr;
}

describe('bad input exits 2 with a clear message', () => {
  test('--record into a folder that does not exist: exit 2 before anything starts, the control socket released', async () => {
    await expectUserError(
      { Procfile: 'web: node -e "setInterval(() => {}, 1000)"\n' },
      ['start', '--headless', '--record', 'no/such/folder/session.har'],
      /cannot write --record no\/such\/folder\/session\.har/,
    );
  });
  test('--replay of a file that is not there', async () => {
    await expectUserError(
      { Procfile: 'web: x\n' },
      ['check', '--replay', 'gone.har'],
      /gone\.har is not a HAR file.*no such file/,
    );
  });
  test('missing Procfile', async () => {
    await expectUserError({}, ['start'], /Procfile not found: .*Procfile/);
  });
  test('malformed Procfile: every bad line with its number', async () => {
    const stderr = await expectUserError(
      { Procfile: 'web: node a.js\nthis is wrong\nweb: again\n' },
      ['start'],
      /Procfile:2: no `name:` on this line/,
    );
    expect(stderr).toMatch(/Procfile:3: process type "web" is defined twice \(first on line 1\)/);
  });
  test('empty Procfile', async () => {
    await expectUserError({ Procfile: '# nothing\n' }, ['validate'], /Procfile: no processes defined/);
  });
  test('unknown type (positional)', async () => {
    await expectUserError({ Procfile: 'web: x\n' }, ['start', 'api'], /TYPE: unknown process type "api"/);
  });
  test('unknown type in the formation', async () => {
    await expectUserError(
      { Procfile: 'web: x\n' },
      ['start', '-m', 'api=2'],
      /--formation: unknown process type "api"/,
    );
  });
  test('a port past 65535: exit 2 before anything starts, with the highest base that fits', async () => {
    const stderr = await expectUserError(
      { Procfile: 'web: x\nworker: x\n' },
      ['start', '-p', '65500'],
      /--port 65500: worker would get port 65600, past 65535/,
    );
    expect(stderr).toMatch(/choose a base port of at most 65435/);
  });
  test('a variable too large to spawn with (E2BIG): exit 2 naming it, not a hang', async () => {
    const big = 'x'.repeat(200_000);
    const stderr = await expectUserError(
      { Procfile: 'web: node -e 1\n', '.env': `BIG=${big}\n` },
      ['start', '--headless'],
      /Procfile:1: web\.1 cannot be started: the variable BIG is 200,000 bytes, over what the system allows \(E2BIG\)/,
    );
    expect(stderr).toMatch(/hint: one argument or variable may hold at most 128 KiB/);
  });
  test('a command too large to spawn with (E2BIG): exit 2 naming it', async () => {
    await expectUserError(
      { Procfile: `web: echo ${'y'.repeat(200_000)}\n` },
      ['start', '--headless'],
      /web\.1 cannot be started: its command is 200,005 characters long/,
    );
  });
  test('a formation past --max-instances: exit 2 with the flag that allows it', async () => {
    const stderr = await expectUserError(
      { Procfile: 'web: x\nworker: y\n' },
      ['start', '-m', 'web=100000'],
      /--formation: the formation web=100000,worker=1 has 100001 instances, more than --max-instances 64/,
    );
    expect(stderr).toMatch(/--max-instances 100001/);
  });
  test('negative numbers are values the option refuses, not missing values', async () => {
    await expectUserError({ Procfile: 'web: x\n' }, ['start', '-p', '-1'], /"-1" is not a port number/);
    await expectUserError({ Procfile: 'web: x\n' }, ['start', '--restart-every', '-5s'], /"-5s" is not a duration/);
  });
  test('--restart-every 0 is refused, with --no-restart as the way to turn restarts off', async () => {
    const stderr = await expectUserError(
      { Procfile: 'web: x\n' },
      ['start', '--restart-every', '0'],
      /--restart-every: 0 would restart one instance after another without pause/,
    );
    expect(stderr).toMatch(/--no-restart/);
  });
  test('a 100,000-character bad line is quoted in 80, and a binary file is one short error', async () => {
    const stderr = await expectUserError(
      { Procfile: `${'x'.repeat(100_000)}\n` },
      ['validate'],
      /Procfile:1: no `name:` on this line: "x{80}… \(100,000 characters\)"/,
    );
    expect(stderr.length).toBeLessThan(1000);
    const binary = await expectUserError(
      { Procfile: 'web: x\n\u0000\u0001\u0002'.repeat(500) },
      ['validate'],
      /Procfile: this is not a text file \(it holds NUL bytes\)/,
    );
    expect(binary.length).toBeLessThan(1000);
  });
  test('bad formation', async () => {
    await expectUserError(
      { Procfile: 'web: x\n' },
      ['start', '-m', 'web=two'],
      /--formation: cannot read formation entry "web=two"/,
    );
  });
  test('bad duration', async () => {
    await expectUserError(
      { Procfile: 'web: x\n' },
      ['start', '--timeout', 'soon'],
      /--timeout: "soon" is not a duration/,
    );
  });
  test('bad duration from AMNESIA_* names the variable', async () => {
    await expectUserError({ Procfile: 'web: x\n' }, ['start'], /AMNESIA_READY_TIMEOUT: "never" is not a duration/, {
      AMNESIA_READY_TIMEOUT: 'never',
    });
  });
  test('bad value in amnesia.json names the file and key', async () => {
    await expectUserError(
      { Procfile: 'web: x\n', 'amnesia.json': '{ "port": "high" }' },
      ['start'],
      /amnesia\.json: "port": "high" is not a port number/,
    );
  });
  test('invalid JSON in amnesia.json names the line', async () => {
    await expectUserError(
      { Procfile: 'web: x\n', 'amnesia.json': '{\n  "port": 5000,\n}\n' },
      ['validate'],
      /amnesia\.json:3: invalid JSON/,
    );
  });
  test('unknown option', async () => {
    await expectUserError(
      { Procfile: 'web: x\n' },
      ['start', '--formaton', 'web=1'],
      /--formaton: unknown option\n.*did you mean --formation/,
    );
  });
  test('missing env file', async () => {
    await expectUserError(
      { Procfile: 'web: x\n' },
      ['start', '-e', '.env.nope'],
      /--env: env file not found: .*\.env\.nope/,
    );
  });
  test('malformed env file line', async () => {
    await expectUserError(
      { Procfile: 'web: x\n', '.env': 'A=1\nnot an assignment\n' },
      ['start'],
      /\.env:2: not a variable assignment/,
    );
  });
  test('command not found names the Procfile line, and stops the rest', async () => {
    const stderr = await expectUserError(
      { Procfile: (a) => `worker: ${a.node('tick.mjs')}\nbroken: definitely-not-a-command-xyz --flag\n` },
      ['start'],
      /Procfile:2: broken\.1: command not found: definitely-not-a-command-xyz --flag/,
    );
    expect(stderr).toMatch(/definitely-not-a-command-xyz: not found/);
  });
  test('an instance that never gets ready: named, with its last output lines', async () => {
    const stderr = await expectUserError(
      { Procfile: (a) => `web: ${a.node('silent-server.mjs')}\n` },
      ['start', '-m', 'web=1', '--ready-timeout', '1s'],
      /web\.1: web\.1 did not accept connections on port \d+ within 1s/,
    );
    expect(stderr).toMatch(/last output:\n\s+starting, but I will never listen/);
  });
  test('unknown command suggests the closest', async () => {
    await expectUserError({}, ['strat'], /unknown command "strat"[\s\S]*did you mean `amnesia start`/);
  });
});

describe('large formations', () => {
  test('Ctrl-C while a large formation boots: nothing more is spawned, and nothing is left', async () => {
    const { amnesia, makeApp: make } = await import('./helpers.js');
    const app = make({ Procfile: (a) => `web: ${a.node('slow-boot.mjs')}\n` });
    const run = amnesia(
      ['start', '-m', 'web=48', '--max-instances', '48', '-p', String(await freeBasePort()), '--no-timestamp'],
      { cwd: app.dir },
    );
    await run.waitFor(/web\.1 +\| started with pid/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    const out = run.stdout();
    const spawned = out.match(/started with pid/g)?.length ?? 0;
    // the first batch boots together; the rest never starts
    expect(spawned).toBeGreaterThanOrEqual(1);
    expect(spawned).toBeLessThanOrEqual(16);
    // once the stop has begun, at most the spawn already under way completes
    const afterStop = out.slice(out.indexOf('SIGINT received')).match(/started with pid/g)?.length ?? 0;
    expect(afterStop, out).toBeLessThanOrEqual(1);
    expectNoneLeft(app.dir);
  });
});
