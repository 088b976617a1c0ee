import { Pool, request } from 'undici';
import { describe, expect, test } from 'vitest';

import { freeBasePort, expectNoneLeft, makeApp, startRouted } from './helpers.js';

const webApp = () => makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });

interface Load {
  ok: number;
  failed: Array<string>;
  sse: { started: number; completed: number; broken: string[] };
}

// Keep-alive clients requesting in loops for `ms`, plus an SSE stream started every 300 ms.
async function steadyLoad(url: string, ms: number, clients = 6): Promise<Load> {
  const pool = new Pool(url, { connections: clients });
  const load: Load = { ok: 0, failed: [], sse: { started: 0, completed: 0, broken: [] } };
  const until = Date.now() + ms;
  const loop = async (i: number): Promise<void> => {
    while (Date.now() < until) {
      const path = i % 2 === 0 ? '/' : '/slow?ms=40';
      try {
        const res = await pool.request({ path, method: 'GET' });
        const text = await res.body.text();
        if (res.statusCode === 200) load.ok++;
        else load.failed.push(`${res.statusCode} ${text.trim()}`);
      } catch (error) {
        load.failed.push(String(error));
      }
    }
  };
  const streams: Array<Promise<void>> = [];
  const sse = async (): Promise<void> => {
    load.sse.started++;
    try {
      const res = await request(`${url}/sse?n=8&interval=50`);
      let text = '';
      for await (const chunk of res.body) text += String(chunk);
      if (text.endsWith('data: end\n\n')) load.sse.completed++;
      else load.sse.broken.push(text);
    } catch (error) {
      load.sse.broken.push(String(error));
    }
  };
  const ticker = setInterval(() => streams.push(sse()), 300);
  await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  clearInterval(ticker);
  await Promise.all(streams);
  await pool.close();
  return load;
}

describe('restarts never lose a request', () => {
  test('steady keep-alive load, a restart every 500 ms for 10 s: zero failed requests, every SSE stream completes', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '--restart-every',
      '500ms',
      '--seed',
      '99',
    ]);
    const load = await steadyLoad(url, 10_000);
    run.signal('SIGINT');
    await run.exited;
    const restarts = run.stdout().match(/restarted in/g)?.length ?? 0;
    expect(restarts).toBeGreaterThanOrEqual(6);
    expect(load.failed).toEqual([]);
    expect(load.ok).toBeGreaterThan(500);
    expect(load.sse.started).toBeGreaterThan(20);
    expect(load.sse.broken).toEqual([]);
    expect(load.sse.completed).toBe(load.sse.started);
    expectNoneLeft(app.dir);
  });

  test('with one instance and restarts, zero requests fail', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '-m',
      'web=1',
      '--restart-every',
      '500ms',
    ]);
    const load = await steadyLoad(url, 5_000, 4);
    run.signal('SIGINT');
    await run.exited;
    expect(run.stdout().match(/restarted in/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(load.failed).toEqual([]);
    expect(load.sse.broken).toEqual([]);
  });

  test('--restart-signal KILL makes in-flight requests fail with a 502 naming the instance, and the router survives', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '-m',
      'web=2',
      '--restart-every',
      '300ms',
      '--restart-signal',
      'KILL',
    ]);
    const statuses: number[] = [];
    const bodies: string[] = [];
    // rounds of slow requests until a kill has met one (the first round does, unless a loaded machine
    // delays the restarts past it)
    for (let round = 0; round < 5 && !statuses.includes(502); round++) {
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          const res = await request(`${url}/slow?ms=1500`);
          statuses.push(res.statusCode);
          bodies.push(await res.body.text());
        }),
      );
    }
    expect(statuses).toContain(502);
    expect(bodies.find((b) => b.startsWith('amnesia:'))).toMatch(/^amnesia: web instance web\.[12] failed: /);
    expect(run.stdout()).toMatch(/restarting \(scheduled, SIGKILL\): killed at once, no drain/);
    // restarts go on killing instances, so one request may meet a kill: the router must keep answering
    const answers: number[] = [];
    while (!answers.includes(200) && answers.length < 20) {
      const after = await request(`${url}/`);
      await after.body.text();
      answers.push(after.statusCode);
    }
    expect(answers).toContain(200);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  test('SIGHUP restarts every instance, one at a time, without failing a request', async () => {
    const app = webApp();
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '--no-restart']);
    const loading = steadyLoad(url, 3000, 3);
    run.signal('SIGHUP');
    const load = await loading;
    await run.waitFor(/web\.3 +\| restarted in/);
    run.signal('SIGINT');
    await run.exited;
    expect(run.stdout().match(/restarted in/g)).toHaveLength(3);
    expect(load.failed).toEqual([]);
  });
});
