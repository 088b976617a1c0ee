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
