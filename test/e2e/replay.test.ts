import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';

import {
  amnesia,
  BIN,
  check,
  eventually,
  exampleApp,
  expectNoneLeft,
  freeBasePort,
  liveProcesses,
  makeApp,
  record,
} from './helpers.js';

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

  test('the replay runs in a process of its own, which ends with a killed manager', async () => {
    const dir = exampleApp('sessions-cookie');
    // a second between requests: each run's replay lasts about 8 s, kept paced
    const paced = `const u = process.env.AMNESIA_URL; for (let i = 0; i < 8; i++) { await fetch(u + '/profile'); await new Promise((r) => setTimeout(r, 1100)); }`;
    const { har } = await record(dir, `node --input-type=module -e "${paced}"`);
    const run = amnesia(['check', '-p', String(await freeBasePort()), '--replay', har, '--seed', '1'], { cwd: dir });
    await run.waitFor(/replaying .*session\.har, one instance, no restarts: 8 requests from 1 client against http/);
    const client = `replay-client.js ${har}`;
    expect(liveProcesses(client)).toHaveLength(1);
    run.signal('SIGKILL');
    await run.exited;
    // the channel closed, it ends at once, not when its replay would have
    await eventually(() => liveProcesses(client).length === 0, 3000, 'the replay process to end');
    await eventually(() => liveProcesses(dir).length === 0, 10_000, 'the instance to be reaped');
    expectNoneLeft(dir);
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

  test("amnesia's own files in the app root are not the app's writes: its recording and its output sent there", async () => {
    // GET / answers; POST /note writes notes.txt in the app root (the one write that is the app's)
    const app = makeApp({
      Procfile: (a) => `web: ${a.node('notes.mjs')}\n`,
      'notes.mjs': `import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
createServer((req, res) => {
  if (req.method === 'POST') writeFileSync('notes.txt', 'a note');
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
    });
    const log = join(app.dir, 'amnesia.log');
    const fd = openSync(log, 'w');
    const port = await freeBasePort();
    // as a developer would: `amnesia start --record session.har > amnesia.log 2>&1`, in the app root
    const args = [BIN, 'start', '-m', 'web=2', '--no-restart', '-p', String(port), '--record', 'session.har'];
    const child = spawn(process.execPath, args, { cwd: app.dir, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    onTestFinished(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
    const text = (): string => readFileSync(log, 'utf8');
    await eventually(() => /all instances started/.test(text()), 20_000, 'the formation started');
    // GETs over a second: the recording is written every 200 ms while they come
    for (let i = 0; i < 20; i++) {
      await (await fetch(`http://127.0.0.1:${port}/`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' })).text();
    // the app's own write is found, so the watcher saw what came before it
    await eventually(() => /notes\.txt was (added|changed)/.test(text()), 10_000, "the app's write found");
    child.kill('SIGINT');
    await exited;
    expect(text()).not.toMatch(/session\.har was/);
    expect(text()).not.toMatch(/amnesia\.log was/);
    expect(text()).toMatch(/FINDING local-write on POST \//);
    expect(JSON.parse(readFileSync(join(app.dir, 'session.har'), 'utf8')).log.entries).toHaveLength(21);
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
