import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import { check, exampleApp } from './helpers.js';

const SEEDS = [11, 22, 33];

const STATEFUL: Array<[example: string, smoke: string, kinds: string[]]> = [
  ['sessions-memory', 'sessions-smoke', ['session-lost', 'smoke-diverged']],
  ['uploads-tmp', 'uploads-smoke', ['session-lost', 'smoke-diverged']],
  ['uploads-local', 'uploads-smoke', ['local-write']],
  ['cache-memory', 'cache-smoke', ['smoke-diverged']],
  ['ws-rooms-memory', 'ws-rooms-smoke', ['smoke-diverged']],
];

describe('stateful examples: exit 1 with the expected findings, whatever the seed', () => {
  test.each(STATEFUL)('%s', async (example, smoke, kinds) => {
    const dir = exampleApp(example);
    for (const seed of SEEDS) {
      const run = await check(dir, ['--run', `node ../${smoke}.mjs`, '--seed', String(seed)]);
      expect(run.code, `${example} seed ${seed}\n${run.stdout}\n${run.stderr}`).toBe(1);
      expect(run.report.passed).toBe(false);
      expect(run.report.seed).toBe(seed);
      const found = new Set(run.report.findings.map((f) => f.kind));
      for (const kind of kinds) expect([...found], `${example} seed ${seed}`).toContain(kind);
      expect(run.stdout).toMatch(new RegExp(`replay: amnesia check .*--seed ${seed}`));
    }
  });

  test('with --mirror the per-process cache also shows as divergence on its route', async () => {
    const dir = exampleApp('cache-memory');
    const run = await check(dir, ['--run', 'node ../cache-smoke.mjs', '--seed', '11', '--mirror']);
    expect(run.code).toBe(1);
    const divergence = run.report.findings.find((f) => f.kind === 'divergence');
    expect(divergence?.route).toBe('GET /prices/:id');
    expect(divergence?.evidence[0]).toMatch(/\$\.price is "(1\d)" on web\.\d \(twice in a row\), but "(1\d)" on web\.\d/);
    expect(divergence?.evidence[0]).not.toMatch(/is "(\d+)" .* but "\1"/);
  });

  test('the MemoryStore report says what broke, on which route, between which instances, and what to change', async () => {
    const dir = exampleApp('sessions-memory');
    const run = await check(dir, ['--run', 'node ../sessions-smoke.mjs', '--seed', '11']);
    const text = run.stdout.slice(run.stdout.indexOf('amnesia check FAILED'));
    expect(text).toMatch(/session-lost {2}GET \/profile {2}\(web: web\.\d( → |, )web\.\d.*; seen \d+ times?\)/);
    expect(text).toMatch(/previous: .* → 200 from web\.\d/);
    expect(text).toMatch(/then after a (hop from|restart) web\.\d.*: GET \/profile \(cookie: connect\.sid=<\d+ chars>\) → 401 from web\.\d/);
    expect(text).toMatch(/fix: .*shared store \(express-session with connect-redis/);
    // no cookie value leaks into the report
    const cookie = /connect\.sid=s%3A[\w%.-]+/.exec(readFileSync(run.reportPath, 'utf8'));
    expect(cookie).toBeNull();
  });
});

describe('findings live in start', () => {
  test('start prints a FINDING line with evidence and hint while the app runs', async () => {
    const { amnesia, freeBasePort } = await import('./helpers.js');
    const { execFileSync } = await import('node:child_process');
    const dir = exampleApp('sessions-memory');
    const port = await freeBasePort();
    const run = amnesia(['start', '-p', String(port), '--seed', '11', '--no-timestamp'], { cwd: dir });
    await run.waitFor(/all instances started/);
    try {
      execFileSync('node', ['../sessions-smoke.mjs'], { cwd: dir, env: { ...process.env, AMNESIA_URL: `http://127.0.0.1:${port}` }, stdio: 'ignore' });
    } catch {
      // the smoke client fails against the shuffled formation: that is the point
    }
    await run.waitFor(/amnesia +\| FINDING session-lost on GET \/profile \(web: web\.\d → web\.\d\)\n.*previous: [\s\S]*hint: /);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});
