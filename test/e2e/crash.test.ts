import { describe, expect, test } from 'vitest';

import { amnesia, amnesiaDone, freeBasePort, expectNoneLeft, makeApp } from './helpers.js';

describe('crashes', () => {
  test('a crashing instance is restarted with backoff while the others keep running', async () => {
    const app = makeApp({ Procfile: (a) => `crasher: ${a.node('crash.mjs')}\nsteady: ${a.node('tick.mjs')}\n` });
    const run = amnesia(['start', '--no-timestamp'], { cwd: app.dir });
    await run.waitFor(/crasher\.1 +\| crashed: exited with code 3, restarting in 4s/);
    const out = run.stdout();
    expect(out).toMatch(
      /crasher\.1 +\| crashed: exited with code 3, restarting in 1s[\s\S]*crasher\.1 +\| crashed: exited with code 3, restarting in 2s/,
    );
    // three boots of the crasher, one of the steady instance, whose ticks went on throughout
    expect(out.match(/crasher\.1 +\| booting/g)).toHaveLength(3);
    expect(out.match(/steady\.1 +\| tick-start/g)).toHaveLength(1);
    const ticks = [...out.matchAll(/steady\.1 +\| tick (\d+)/g)].map((m) => Number(m[1]));
    expect(ticks.length).toBeGreaterThan(10);
    expect(ticks).toEqual(ticks.map((_, i) => i));
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expectNoneLeft(app.dir);
  });

  test('--exit-on-crash: Foreman behaviour, everything stops with the child’s exit code', async () => {
    const app = makeApp({ Procfile: (a) => `crasher: ${a.node('crash.mjs')}\nsteady: ${a.node('tick.mjs')}\n` });
    const run = amnesia(['start', '--exit-on-crash'], { cwd: app.dir });
    const { code } = await run.exited;
    expect(code).toBe(3);
    expect(run.stdout()).toMatch(/crasher\.1 +\| crashed: exited with code 3\n/);
    expect(run.stdout()).toMatch(/steady\.1 +\| (exited with code 0|terminated by SIGTERM)/);
    expectNoneLeft(app.dir);
  });

  test('--exit-on-crash with a child ended by a signal: 128 + the number this OS gives it (SIGXCPU was 129)', async () => {
    const { constants } = await import('node:os');
    const app = makeApp({ Procfile: 'crasher: kill -XCPU $$\nsteady: sleep 60\n' });
    const { code } = await amnesiaDone(['start', '--exit-on-crash'], { cwd: app.dir });
    expect(code).toBe(128 + constants.signals.SIGXCPU);
    expectNoneLeft(app.dir);
  });

  test('exit 0 of a non-routed type is done, not a crash', async () => {
    const app = makeApp({ Procfile: 'release: echo migrated\nsteady: sleep 60\n' });
    const run = amnesia(['start', '--no-timestamp'], { cwd: app.dir });
    await run.waitFor(/release\.1 +\| done \(exited with code 0\)/);
    expect(run.stdout()).not.toMatch(/crashed/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});

describe('a routed type that cannot stay up', () => {
  // the crash loop itself (retries, the 503 with the last output) is timing logic: src/supervisor/supervisor.test.ts
  // and src/run/create-run.test.ts drive it on a virtual clock
  test('start-up says which instances crashed, with real processes that exit before they listen', async () => {
    const app = makeApp({ Procfile: "web: echo 'cannot connect to the database'; exit 1\nsteady: sleep 60\n" });
    const port = await freeBasePort();
    const run = amnesia(['start', '-m', 'web=2', '-p', String(port), '--no-timestamp'], { cwd: app.dir });
    await run.waitFor(/started in \d+ms, but web\.1, web\.2 crashed at start-up \(restarting with backoff\)/);
    expect(run.stdout()).not.toMatch(/all instances started/);
    expect(run.stdout()).toMatch(/web\.1 +\| cannot connect to the database/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expectNoneLeft(app.dir);
  });

  test('a retry that cannot even be spawned (its temp dir cannot be made) ends the run with a clear error, not an unhandled rejection', async () => {
    const { mkdirSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const app = makeApp({ Procfile: (a) => `crasher: ${a.node('crash.mjs')}\nsteady: ${a.node('tick.mjs')}\n` });
    const tmp = join(app.dir, 'tmp');
    mkdirSync(tmp);
    const run = amnesia(['start', '--no-timestamp'], { cwd: app.dir, env: { TMPDIR: tmp } });
    await run.waitFor(/crasher\.1 +\| crashed: exited with code 3, restarting in 1s/);
    // the run's temp root becomes a file: the retry's mkdir fails with ENOTDIR
    const [root] = readdirSync(tmp);
    rmSync(join(tmp, root!), { recursive: true, force: true });
    writeFileSync(join(tmp, root!), '');
    const { code } = await run.exited;
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(run.stderr()).toMatch(/crasher\.1 could not be started: its temp dir cannot be made \(ENOTDIR/);
    expect(run.stderr()).toMatch(/hint: .*TMPDIR/);
    expect(code).toBe(2);
    expectNoneLeft(app.dir);
  });
});
