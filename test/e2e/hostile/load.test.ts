import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Pool } from 'undici';
import { describe, expect, test } from 'vitest';

import { freeBasePort, expectNoneLeft, makeApp, startRouted } from '../helpers.js';

const run = promisify(execFile);

interface Wrk {
  requests: number;
  /** wrk's "Non-2xx or 3xx responses" and "Socket errors" lines; absent when there were none */
  failures: string[];
}

// wrk, the load generator people measure proxies with: keep-alive connections as fast as they answer.
async function wrk(url: string, seconds: number, connections: number): Promise<Wrk> {
  const { stdout } = await run('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, url]);
  return {
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0),
    failures: stdout
      .split('\n')
      .filter((line) => /Non-2xx|Socket errors/.test(line))
      .map((line) => line.trim()),
  };
}

const restartsIn = (stdout: string): number => stdout.match(/restarted in/g)?.length ?? 0;

describe('restarts every 300 ms under load lose nothing', () => {
  test('wrk -c20 in 5 s rounds until 10 restarts (one every 300 ms) have completed: no failed request, no socket error', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const { run: amnesia, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '--restart-every',
      '300ms',
      '--seed',
      '7',
    ]);
    // Rounds of 5 s, fast and slow answers in turn, until at least 10 restarts have completed under
    // load: how many fit in 10 s depends on how busy the machine is (a boot and a drain each).
    const rounds: Wrk[] = [];
    const paths = ['/', '/slow?ms=5'];
    while (rounds.length < 2 || restartsIn(amnesia.stdout()) < 10) {
      rounds.push(await wrk(`${url}${paths[rounds.length % 2]}`, 5, 20));
    }
    amnesia.signal('SIGINT');
    expect((await amnesia.exited).code).toBe(0);
    for (const round of rounds) {
      expect(round.failures).toEqual([]);
      expect(round.requests).toBeGreaterThan(1000);
    }
    expectNoneLeft(app.dir);
  });

  test('POST bodies of 10 KB and 100 KB come back intact through restarts every 300 ms', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const { run: amnesia, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '--restart-every',
      '300ms',
      '--seed',
      '8',
    ]);
    const pool = new Pool(url, { connections: 8 });
    const bodies = [randomBytes(10_000), randomBytes(100_000)];
    const wrong: string[] = [];
    let echoed = 0;
    // 5 s at least, and until 5 restarts have completed under the uploads
    const until = Date.now() + 5000;
    const going = (): boolean => Date.now() < until || restartsIn(amnesia.stdout()) < 5;
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const body = bodies[i % 2]!;
        while (going()) {
          try {
            const res = await pool.request({ path: '/echo', method: 'POST', body });
            const back = Buffer.from(await res.body.arrayBuffer());
            if (res.statusCode === 200 && back.equals(body)) echoed++;
            else wrong.push(`${res.statusCode}: ${back.length} bytes back of ${body.length}`);
          } catch (error) {
            wrong.push(String(error));
          }
        }
      }),
    );
    await pool.close();
    amnesia.signal('SIGINT');
    expect((await amnesia.exited).code).toBe(0);
    expect(wrong).toEqual([]);
    expect(echoed).toBeGreaterThan(200);
  });
});
