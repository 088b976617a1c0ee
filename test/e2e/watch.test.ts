import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, test } from 'vitest';

import { freeBasePort, keepRequesting, expectNoneLeft, makeApp, startRouted } from './helpers.js';

describe('--watch', () => {
  test('editing a file rolling-restarts every instance of the type while a client keeps requesting: zero failures', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n`, 'notes.txt': 'v1\n' });
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '--watch',
      '--no-restart',
      '--no-timestamp',
    ]);
    const traffic = await keepRequesting(url, 4);
    appendFileSync(join(app.dir, 'notes.txt'), 'v2\n');
    await run.waitFor(/changed: notes\.txt; restarting web/);
    await run.waitFor(/web\.3 +\| restarted in/, 30_000);
    const { ok, failed } = await traffic.stop();
    expect(run.stdout().match(/restarted in/g)).toHaveLength(3);
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expectNoneLeft(app.dir);
  });

  test('adding a type to the Procfile starts it; breaking the Procfile reports the line and keeps the app running', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '-m',
      'web=1',
      '--watch',
      '--no-restart',
      '--no-timestamp',
    ]);
    appendFileSync(join(app.dir, 'Procfile'), `ticker: ${app.node('tick.mjs')}\n`);
    await run.waitFor(/reloaded Procfile: started ticker/);
    await run.waitFor(/ticker\.1 +\| tick 1/);
    writeFileSync(join(app.dir, 'Procfile'), `web: ${app.node('web.mjs')}\nthis line is broken\n`);
    await run.waitFor(/Procfile is invalid; the running formation is kept:\n.*Procfile:2: no `name:` on this line/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    await res.text();
    expect(run.stdout()).not.toMatch(/ticker\.1 +\| (exited|terminated)/);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expectNoneLeft(app.dir);
  });
});
