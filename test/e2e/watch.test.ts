import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Pool } from 'undici';
import { describe, expect, test } from 'vitest';

import { freeBasePort, liveProcesses, makeApp, startRouted } from './helpers.js';

describe('--watch', () => {
  test('editing a file rolling-restarts every instance of the type while a client keeps requesting: zero failures', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n`, 'notes.txt': 'v1\n' });
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '--watch', '--no-restart', '--no-timestamp']);
    const pool = new Pool(url, { connections: 4 });
    let ok = 0;
    const failed: string[] = [];
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (loading) {
          try {
            const res = await pool.request({ path: '/slow?ms=20', method: 'GET' });
            await res.body.text();
            if (res.statusCode === 200) ok++;
            else failed.push(String(res.statusCode));
          } catch (error) {
            failed.push(String(error));
          }
        }
      }),
    );
    appendFileSync(join(app.dir, 'notes.txt'), 'v2\n');
    await run.waitFor(/changed: notes\.txt; restarting web/);
    await run.waitFor(/web\.3 +\| restarted in/, 30_000);
    loading = false;
    await load;
    await pool.close();
    expect(run.stdout().match(/restarted in/g)).toHaveLength(3);
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expect(liveProcesses(app.dir)).toEqual([]);
  });

  test('adding a type to the Procfile starts it; breaking the Procfile reports the line and keeps the app running', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '-m', 'web=1', '--watch', '--no-restart', '--no-timestamp']);
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
    expect(liveProcesses(app.dir)).toEqual([]);
  });
});
