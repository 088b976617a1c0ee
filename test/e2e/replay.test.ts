import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { amnesia, check, exampleApp, freeBasePort } from './helpers.js';

// Records what an example's smoke client sends through `start --record` (one instance, no restarts), as a
// developer browsing the app would, and returns the HAR's path.
async function record(dir: string, smoke: string): Promise<{ har: string; stderr: string }> {
  const har = join(dir, 'session.har');
  const run = amnesia(['start', '--no-restart', '-m', 'web=1', '-p', String(await freeBasePort()), '--record', har], {
    cwd: dir,
  });
  const [, url = ''] = await run.waitFor(/→ (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitFor(/all instances started/);
  execFileSync('node', [smoke], { cwd: dir, env: { ...process.env, AMNESIA_URL: url }, stdio: 'pipe' });
  run.signal('SIGINT');
  expect((await run.exited).code).toBe(0);
  return { har, stderr: run.stderr() };
}

describe('record with start --record, replay with check --replay', () => {
  test('the recording is HAR 1.2 with mode 600, and says once that it holds credentials', async () => {
    const dir = exampleApp('sessions-memory');
    const { har, stderr } = await record(dir, '../sessions-smoke.mjs');
    expect(statSync(har).mode & 0o777).toBe(0o600);
    const log = JSON.parse(readFileSync(har, 'utf8')).log;
    expect(log.version).toBe('1.2');
    expect(log.comment).toMatch(/bytes are cut/);
    expect(log.entries).toHaveLength(10);
    const login = log.entries[0];
    expect(login.request.postData.text).toBe('{"user":"ada"}');
    expect(login.response.cookies[0].name).toBe('connect.sid');
    expect(login._amnesia).toMatchObject({ type: 'web', instance: 'web.1', hop: false });
    expect(stderr).toMatch(/recorded 10 requests to .*session\.har/);
  });

  test('in-memory sessions: the replay fails with the session finding and the divergence it causes', async () => {
    const dir = exampleApp('sessions-memory');
    const { har } = await record(dir, '../sessions-smoke.mjs');
    const run = await check(dir, ['--replay', har, '--seed', '3']);
    expect(run.code).toBe(1);
    const kinds = run.report.findings.map((f) => f.kind);
    expect(kinds).toContain('session-lost');
    expect(kinds).toContain('replay-diverged');
    const diverged = run.report.findings.find((f) => f.kind === 'replay-diverged')!;
    expect(diverged.evidence.join('\n')).toMatch(/one instance, no restarts: 200[\s\S]*shuffled \(web\.\d[^)]*\): 401/);
    // cookies are redacted in what is printed
    expect(run.stdout).not.toMatch(/connect\.sid=s%3A\w/);
  });

  test('sessions in Redis: the same replay passes on seeds 1-3', async () => {
    const dir = exampleApp('sessions-redis');
    const { har } = await record(dir, '../sessions-smoke.mjs');
    for (const seed of ['1', '2', '3']) {
      const run = await check(dir, ['--replay', har, '--seed', seed]);
      expect(run.report.findings).toEqual([]);
      expect(run.code).toBe(0);
    }
  });

  test('WebSocket rooms in memory: a broadcast the controls received and the shuffled run did not diverges', async () => {
    const dir = exampleApp('ws-rooms-memory');
    const { har } = await record(dir, '../ws-rooms-smoke.mjs');
    const entries = JSON.parse(readFileSync(har, 'utf8')).log.entries;
    expect(entries[0]._webSocketMessages.map((m: { type: string }) => m.type)).toContain('receive');
    const run = await check(dir, ['--replay', har, '--seed', '3']);
    expect(run.code).toBe(1);
    const diverged = run.report.findings.find((f) => f.kind === 'replay-diverged');
    expect(diverged?.evidence.join('\n')).toMatch(/received with one instance, not shuffled/);
  });

  test('a file that is not HAR is a usage error that says where', async () => {
    const dir = exampleApp('sessions-memory');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'bad.har'), '{"log": {"entries": [\n  {"request": }\n]}}');
    const run = await check(dir, ['--replay', 'bad.har']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.har:2:\d+/);
    expect(run.stderr).toMatch(/not a HAR file/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
