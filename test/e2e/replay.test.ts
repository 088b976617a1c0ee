import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { check, exampleApp, record } from './helpers.js';

describe('record with start --record, replay with check --replay', () => {
  test('the recording is HAR 1.2 with mode 600, and says once that it holds credentials', async () => {
    const dir = exampleApp('sessions-memory');
    const { har, stderr } = await record(dir, 'node ../sessions-smoke.mjs');
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
    const { har } = await record(dir, 'node ../sessions-smoke.mjs');
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

  test('WebSocket rooms in memory: a broadcast the controls received and the shuffled run did not diverges', async () => {
    const dir = exampleApp('ws-rooms-memory');
    const { har } = await record(dir, 'node ../ws-rooms-smoke.mjs');
    const entries = JSON.parse(readFileSync(har, 'utf8')).log.entries;
    expect(entries[0]._webSocketMessages.map((m: { type: string }) => m.type)).toContain('receive');
    const run = await check(dir, ['--replay', har, '--seed', '3']);
    expect(run.code).toBe(1);
    const diverged = run.report.findings.find((f) => f.kind === 'replay-diverged');
    expect(diverged?.evidence.join('\n')).toMatch(/received with one instance, not shuffled/);
    // the cause, from the replayed traffic as from any other
    expect(run.report.findings.find((f) => f.kind === 'broadcast-lost')?.hint).toMatch(/Redis pub\/sub/);
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
