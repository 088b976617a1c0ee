import { execFileSync } from 'node:child_process';

import { describe, expect, test } from 'vitest';

import { amnesiaDone, makeApp } from './helpers.js';

// Foreman's spec/resources: a Procfile with echo/env/test entries and `.env` FOO=bar
const foremanApp = () =>
  makeApp({
    Procfile: 'echo: echo echoing\nenv: printenv FOO\ntest: echo testing\nps: echo PS env var is $PS\n',
    '.env': 'FOO=bar\n',
  });

describe('amnesia run (Foreman semantics)', () => {
  test('runs a command: `run echo 1` prints 1', async () => {
    const app = foremanApp();
    expect(await amnesiaDone(['run', 'echo', '1'], { cwd: app.dir })).toMatchObject({ code: 0, stdout: '1\n' });
  });
  test('options after the command belong to it: `run grep -e FOO .env`', async () => {
    const app = foremanApp();
    expect(await amnesiaDone(['run', 'grep', '-e', 'FOO', '.env'], { cwd: app.dir })).toMatchObject({
      code: 0,
      stdout: 'FOO=bar\n',
    });
  });
  test('the env file is loaded: `run -e .env printenv FOO`', async () => {
    const app = foremanApp();
    expect(await amnesiaDone(['run', '-e', '.env', 'printenv', 'FOO'], { cwd: app.dir })).toMatchObject({
      code: 0,
      stdout: 'bar\n',
    });
  });
  test('a Procfile type name runs that type’s command: `run test`', async () => {
    const app = foremanApp();
    expect(await amnesiaDone(['run', 'test'], { cwd: app.dir })).toMatchObject({ code: 0, stdout: 'testing\n' });
  });
  test('the exit code is propagated', async () => {
    const app = foremanApp();
    expect((await amnesiaDone(['run', '--', 'sh', '-c', 'exit 7'], { cwd: app.dir })).code).toBe(7);
    expect((await amnesiaDone(['run', 'date', 'invalid_date_xyz'], { cwd: app.dir })).code).toBe(1);
  });
  test('one argument runs through the shell, so $VAR works', async () => {
    const app = foremanApp();
    expect(await amnesiaDone(['run', 'echo $FOO-x'], { cwd: app.dir })).toMatchObject({ code: 0, stdout: 'bar-x\n' });
  });
  test('a command that does not exist: exit 2 and a clear message', async () => {
    const app = foremanApp();
    const result = await amnesiaDone(['run', 'no-such-command-xyz', 'arg'], { cwd: app.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/command not found: no-such-command-xyz/);
  });
  test('PS is set: a Procfile type runs as its first instance, any other command as run.1', async () => {
    const app = foremanApp();
    expect((await amnesiaDone(['run', 'ps'], { cwd: app.dir })).stdout).toBe('PS env var is ps.1\n');
    expect((await amnesiaDone(['run', 'printenv', 'PS'], { cwd: app.dir })).stdout).toBe('run.1\n');
  });
  test('works without a Procfile', async () => {
    const app = makeApp({ '.env': 'FOO=baz\n' });
    expect(await amnesiaDone(['run', 'printenv', 'FOO'], { cwd: app.dir })).toMatchObject({ code: 0, stdout: 'baz\n' });
  });
});

describe('amnesia validate', () => {
  test('prints the types, env files and formation that would run', async () => {
    const app = foremanApp();
    const result = await amnesiaDone(['validate', '-m', 'echo=2,all=1,ps=0'], { cwd: app.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid Procfile: Procfile \(echo, env, test, ps\)/);
    expect(result.stdout).toMatch(/env files: \.env \(1 variables\)/);
    expect(result.stdout).toMatch(/echo +x2 +PORT 5000-5001/);
    expect(result.stdout).toMatch(/ps +x0 +not started/);
    expect(result.stdout).toMatch(/formation: echo=2,env=1,test=1,ps=0/);
  });
  test('a routed type shows its router port', async () => {
    const app = makeApp({ Procfile: 'web: node server.js\nworker: node w.js\n' });
    const result = await amnesiaDone(['validate', '-p', '8000'], { cwd: app.dir });
    expect(result.stdout).toMatch(/web +x3 +router on port 8000, instances on free ports/);
    expect(result.stdout).toMatch(/worker +x1 +PORT 8100/);
  });
  test('amnesia.json and package.json "amnesia" settings apply, flags win', async () => {
    const app = makeApp({
      Procfile: 'web: x\nworker: y\n',
      'package.json': '{"name":"x","amnesia":{"formation":"web=5"}}',
    });
    expect((await amnesiaDone(['validate'], { cwd: app.dir })).stdout).toMatch(/formation: web=5,worker=1/);
    expect((await amnesiaDone(['validate', '-m', 'web=1'], { cwd: app.dir })).stdout).toMatch(
      /formation: web=1,worker=1/,
    );
  });
});

describe('the command line', () => {
  test('help CMD is the command help; help of an unknown command suggests one', async () => {
    const app = foremanApp();
    const help = await amnesiaDone(['help', 'start'], { cwd: app.dir });
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/^Usage: amnesia start /);
    expect(help.stdout).toBe((await amnesiaDone(['start', '--help'], { cwd: app.dir })).stdout);
    const wrong = await amnesiaDone(['help', 'strat'], { cwd: app.dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown command "strat"[\s\S]*did you mean `amnesia start`/);
  });
  test('options after -- are refused, not silently dropped; a bad value is named once', async () => {
    const app = foremanApp();
    const dropped = await amnesiaDone(['start', '--', '-m', 'web=2'], { cwd: app.dir });
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toMatch(
      /--: start runs no command of its own: -m web=2\n {2}hint: options go before any --/,
    );
    const bad = await amnesiaDone(['check', '--ready-timeout', '5x', '--run', 'true'], { cwd: app.dir });
    expect(bad.stderr).toMatch(/^amnesia: error: --ready-timeout: "5x" is not a duration\n/);
  });
  test('validate with an unknown TYPE blames the argument, not another command', async () => {
    const result = await amnesiaDone(['validate', 'extra'], { cwd: foremanApp().dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^amnesia: error: TYPE: unknown process type "extra"\n {2}hint: the Procfile defines: echo, env, test, ps/,
    );
  });
  test('-mweb=2 is the formation web=2 (POSIX: a value glued to its letter)', async () => {
    const result = await amnesiaDone(['validate', '-mecho=2'], { cwd: foremanApp().dir });
    expect(result.stdout).toMatch(/formation: echo=2,env=1,test=1,ps=1/);
  });
  test('bash completion from the option table: commands, options, choices, Procfile types', async () => {
    const app = foremanApp();
    const script = (await amnesiaDone(['completion', 'bash'], { cwd: app.dir })).stdout;
    const complete = (line: string): string[] => {
      const words = line.split(' ');
      const out = execFileSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _amnesia; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { cwd: app.dir, encoding: 'utf8' },
      );
      return out.split('\n').filter((w) => w !== '');
    };
    expect(complete('amnesia st')).toEqual(['start', 'stop']);
    // -f is --follow for logs; its arguments are the Procfile's types
    expect(complete('amnesia logs -')).toEqual(expect.arrayContaining(['--follow', '-f', '--lines', '-n']));
    expect(complete('amnesia restart e')).toEqual(['echo', 'env']);
    expect(complete('amnesia start --rest')).toEqual([
      '--restart-every',
      '--restart-after',
      '--restart',
      '--restart-signal',
    ]);
    expect(complete('amnesia start --balance r')).toEqual(['random', 'round-robin']);
    expect(complete('amnesia start e')).toEqual(['echo', 'env']);
    expect(complete('amnesia start -f ')).toEqual([]);
    expect(complete('amnesia completion ')).toEqual(['bash', 'zsh', 'fish']);
    const unknown = await amnesiaDone(['completion', 'tcsh'], { cwd: app.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no completion for "tcsh"[\s\S]*hint: write amnesia completion bash\|zsh\|fish/);
  });
  test('zsh and fish load their scripts; fish completes options with their descriptions', async () => {
    const app = foremanApp();
    const zsh = (await amnesiaDone(['completion', 'zsh'], { cwd: app.dir })).stdout;
    // loaded in an interactive zsh: the function is defined and bound to amnesia
    const bound = execFileSync('zsh', ['-f', '-c', `${zsh}\nprint -r -- \${_comps[amnesia]}`], { encoding: 'utf8' });
    expect(bound.trim()).toMatch(/_bash_complete|_amnesia/);
    const fish = (await amnesiaDone(['completion', 'fish'], { cwd: app.dir })).stdout;
    const out = execFileSync('fish', ['--no-config', '-c', `${fish}\ncomplete -C 'amnesia start --bal'`], {
      cwd: app.dir,
      encoding: 'utf8',
    });
    expect(out).toMatch(/^--balance\t.+/m);
    const types = execFileSync('fish', ['--no-config', '-c', `${fish}\ncomplete -C 'amnesia start t'`], {
      cwd: app.dir,
      encoding: 'utf8',
    });
    expect(types.split('\n').filter((l) => l !== '')).toEqual(['test']);
  });
});
