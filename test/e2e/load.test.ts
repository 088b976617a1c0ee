import { describe, expect, test } from 'vitest';

import { amnesia, amnesiaDone, exampleApp, freeBasePort, makeApp } from './helpers.js';

interface Summary {
  url: string;
  connections: number;
  rate: number | null;
  requests: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  errors: Record<string, number>;
}

interface PsRow {
  name: string;
  type: string;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

async function started() {
  const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
  const port = await freeBasePort();
  const run = amnesia(['start', '-m', 'web=2', '-p', String(port), '--no-restart'], { cwd: app.dir });
  const [, url = ''] = await run.waitFor(/→ (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitFor(/all instances started/);
  return { app, run, url };
}

async function ps(dir: string): Promise<PsRow[]> {
  const { code, stdout, stderr } = await amnesiaDone(['ps', '--json'], { cwd: dir });
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as PsRow[];
}

describe('amnesia load', () => {
  test("against the running start's router (found over its control socket): figures that match the router's own counts", async () => {
    const { app, run, url } = await started();
    const load = await amnesiaDone(['load', '-d', '3s', '-c', '4', '--path', '/slow?ms=2,/', '--json'], {
      cwd: app.dir,
    });
    expect(load.code, load.stderr).toBe(0);
    const summary = JSON.parse(load.stdout) as Summary;
    expect(summary.url).toBe(`${url}/`);
    expect(summary).toMatchObject({ connections: 4, rate: null, errors: {} });
    expect(summary.requests).toBeGreaterThan(100);
    expect(summary.statuses).toEqual({ '200': summary.requests });
    // requests per second: what was answered over the time it took (3 s and the last answers)
    expect(summary.rps).toBeGreaterThan(summary.requests / 3.5);
    expect(summary.rps).toBeLessThanOrEqual(summary.requests / 3);
    // every other request waited 2 ms in the app: the median is above it, the percentiles in order
    const { p50, p90, p99, max } = summary.latencyMs;
    expect(p50).toBeGreaterThan(0);
    expect(p50 <= p90 && p90 <= p99 && p99 <= max).toBe(true);
    expect(p90).toBeGreaterThanOrEqual(2);

    // the router counted exactly the requests the load got answers to, per instance, and times them too
    const rows = await ps(app.dir);
    expect(rows.reduce((sum, r) => sum + r.requests, 0)).toBe(summary.requests);
    expect(rows.every((r) => r.requests > 0 && r.errors === 0)).toBe(true);
    expect(rows.every((r) => r.rps > 0 && (r.p50Ms ?? 0) > 0 && (r.p99Ms ?? 0) >= (r.p50Ms ?? 0))).toBe(true);
    const table = await amnesiaDone(['ps'], { cwd: app.dir });
    expect(table.stdout).toMatch(/ REQ\/S +P50 +P99\n/);
    expect(table.stdout).toMatch(/\nweb\.1 .* [\d.]+ +[\d.]+ +[\d.]+\n/);

    // the text report, by type name, open loop: requests are sent on schedule, rate × duration of them
    const text = await amnesiaDone(['load', 'web', '-R', '200', '-d', '2s'], { cwd: app.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `^load ${url}/ · 10 connections · 2s · open loop at 200 req/s\\n  requests  (\\d+) answered · [\\d.]+ req/s\\n`,
      ),
    );
    const answered = Number(/requests {2}(\d+) answered/.exec(text.stdout)?.[1]);
    expect(answered).toBeGreaterThanOrEqual(390);
    expect(answered).toBeLessThanOrEqual(401);
    expect(text.stdout).toMatch(/\n {2}latency {3}p50 [\d.]+ ms · p90 [\d.]+ ms · p99 [\d.]+ ms · max [\d.]+ ms\n/);
    expect(text.stdout).toMatch(/\n {2}status {4}200 \d+\n {2}errors {4}none\n$/);

    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  test('answers of 500 and up, or refused connections, exit 1; a wrong type or no run exits 2 with what to do', async () => {
    const { app, run, url } = await started();
    const failing = await amnesiaDone(['load', `${url}/status?code=503`, '-d', '1s', '-c', '2'], { cwd: app.dir });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/\n {2}status {4}503 \d+\n/);

    const wrong = await amnesiaDone(['load', 'wbe'], { cwd: app.dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/no router for "wbe"/);
    expect(wrong.stderr).toMatch(/routed types of the run in .*: web/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);

    run.signal('SIGINT');
    await run.exited;
    const none = await amnesiaDone(['load'], { cwd: app.dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no amnesia start is running in/);
    const refused = await amnesiaDone(['load', url, '-d', '1s', '-c', '1', '--json'], { cwd: app.dir });
    expect(refused.code).toBe(1);
    expect(Object.keys((JSON.parse(refused.stdout) as Summary).errors)).toEqual(['ECONNREFUSED']);
  });

  test('an instance killed under load costs no request: what it held is sent again to another instance', async () => {
    // the scaling demo, busy: 30 connections on three instances that each spend 20 ms of CPU per request
    const dir = exampleApp('scaling');
    const port = await freeBasePort();
    const run = amnesia(['start', '-m', 'web=3', '-p', String(port)], { cwd: dir, env: { WORK_MS: '20' } });
    await run.waitFor(/all instances started/);
    for (let round = 0; round < 3; round++) {
      const load = amnesia(['load', '-c', '30', '-d', '2s', '--json'], { cwd: dir });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const victim = (await ps(dir)).find((r) => r.name === `web.${round + 1}`) as PsRow & { pid: number };
      process.kill(-victim.pid, 'SIGKILL');
      expect((await load.exited).code, load.stdout()).toBe(0);
      const summary = JSON.parse(load.stdout()) as Summary;
      expect(summary.errors).toEqual({});
      expect(Object.keys(summary.statuses)).toEqual(['200']);
    }
    run.signal('SIGINT');
    await run.exited;
  });
});
