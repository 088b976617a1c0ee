import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import { check, exampleApp } from './helpers.js';

const SEEDS = [11, 22, 33];

// example, smoke client, the cause-level finding it must raise (beside smoke-diverged), and what its fix names
const STATEFUL: Array<[example: string, command: string, kind: string, fix: RegExp]> = [
  ['sessions-memory', 'node ../sessions-smoke.mjs', 'session-lost', /express-session .*MemoryStore.*connect-redis/],
  ['sessions-single', 'SMOKE_PAUSE_MS=300 node ../sessions-smoke.mjs', 'session-lost', /express-session/],
  ['uploads-tmp', 'node ../uploads-smoke.mjs', 'object-lost', /temp dir.*object storage/],
  ['uploads-id-tmp', 'node ../uploads-id-smoke.mjs', 'object-lost', /temp dir.*object storage/],
  ['uploads-local', 'node ../uploads-smoke.mjs', 'local-write', /object storage|shared storage/],
  ['cache-memory', 'node ../cache-smoke.mjs', 'divergence', /per-process cache.*Redis/],
  ['ws-rooms-memory', 'node ../ws-rooms-smoke.mjs', 'broadcast-lost', /Redis pub\/sub/],
  [
    'socketio-memory',
    'node ../socketio-smoke.mjs',
    'session-lost',
    /transports: \['websocket'\].*@socket\.io\/redis-adapter/,
  ],
  ['flask-notes-memory', 'node ../notes-smoke.mjs', 'object-lost', /database or Redis/],
  ['flask-notes-sqlite', 'node ../notes-smoke.mjs', 'local-write', /database server/],
];

describe('stateful examples: exit 1 with a finding that names the state, its instance and the fix, whatever the seed', () => {
  test.each(STATEFUL)('%s', async (example, command, kind, fix) => {
    const dir = exampleApp(example);
    for (const seed of SEEDS) {
      const run = await check(dir, ['--run', command, '--seed', String(seed)]);
      expect(run.code, `${example} seed ${seed}\n${run.stdout}\n${run.stderr}`).toBe(1);
      expect(run.report.passed).toBe(false);
      expect(run.report.seed).toBe(seed);
      const cause = run.report.findings.find((f) => f.kind === kind);
      expect(cause, `${example} seed ${seed}\n${run.stdout}`).toBeDefined();
      expect(cause?.state).toBeTruthy();
      expect(cause?.heldBy, run.stdout).toMatch(/web\.\d|app root/);
      expect(cause?.hint).toMatch(fix);
      expect(run.stdout).toMatch(new RegExp(`replay: amnesia check .*--seed ${seed}`));
      const diverged = run.report.findings.find((f) => f.kind === 'smoke-diverged');
      // a failed smoke command never stands alone: it carries the requests it made last
      if (diverged)
        expect(diverged.evidence.join('\n')).toMatch(
          /its last \d+ requests? before it failed:\n {2}(GET|POST|PUT) \/\S* → \d{3} web\.\d/,
        );
    }
  });

  test('an id handed out in a JSON body: the evidence names the request that created it and the instance that holds it', async () => {
    const run = await check(exampleApp('flask-notes-memory'), ['--run', 'node ../notes-smoke.mjs', '--seed', '11']);
    const lost = run.report.findings.find((f) => f.kind === 'object-lost');
    expect(lost?.route).toBe('GET /notes/:id');
    expect(lost?.evidence[0]).toMatch(/^created by: POST \/notes → 201 from web\.\d$/);
    expect(lost?.evidence.join('\n')).toMatch(
      /asked every other instance the same request: .*web\.\d → 200.*only web\.\d still knows it/,
    );
  });

  test('a file in the temp dir: the write is put down to the instance and the request', async () => {
    const run = await check(exampleApp('uploads-id-tmp'), ['--run', 'node ../uploads-id-smoke.mjs', '--seed', '11']);
    const lost = run.report.findings.find((f) => f.kind === 'object-lost');
    expect(lost?.evidence.join('\n')).toMatch(
      /where: (web\.\d) wrote \$TMPDIR\/upload-[0-9a-f]{16}\.bin \(\d+ ms after POST \/uploads\)/,
    );
  });

  test('one instance, restarted: the session died with its pid', async () => {
    const run = await check(exampleApp('sessions-single'), [
      '--run',
      'SMOKE_PAUSE_MS=300 node ../sessions-smoke.mjs',
      '--seed',
      '11',
    ]);
    const lost = run.report.findings.find((f) => f.kind === 'session-lost' || f.kind === 'session-reset');
    expect(lost?.evidence.join('\n'), run.stdout).toMatch(/web\.1 \(pid (\d+)\) was restarted.*died with pid \1/);
  });

  test('socket.io long polling after a hop: "Session ID unknown" is a lost socket.io session', async () => {
    const run = await check(exampleApp('socketio-memory'), ['--run', 'node ../socketio-smoke.mjs', '--seed', '11']);
    const lost = run.report.findings.find((f) => f.kind === 'session-lost');
    expect(lost?.state).toBe('a socket.io session (sid)');
    expect(lost?.evidence.join('\n')).toMatch(
      /handshake: GET \/socket\.io\/\?EIO=4&transport=polling\S* → 200 from web\.\d handed out this sid/,
    );
  });

  test('the per-process cache shows as divergence on its route, and --no-mirror turns the mirror off', async () => {
    const dir = exampleApp('cache-memory');
    const off = await check(dir, ['--run', 'node ../cache-smoke.mjs', '--seed', '11', '--no-mirror']);
    expect(off.report.findings.map((f) => f.kind)).toEqual(['smoke-diverged']);
    const run = await check(dir, ['--run', 'node ../cache-smoke.mjs', '--seed', '11']);
    expect(run.code).toBe(1);
    const divergence = run.report.findings.find((f) => f.kind === 'divergence');
    expect(divergence?.route).toBe('GET /prices/:id');
    expect(divergence?.evidence[0]).toMatch(
      /\$\.price is "(1\d)" on web\.\d \(twice in a row\), but "(1\d)" on web\.\d/,
    );
    expect(divergence?.evidence[0]).not.toMatch(/is "(\d+)" .* but "\1"/);
    expect(divergence?.evidence.join('\n')).toMatch(/last change: PUT \/prices\/\S+ → 204 web\.\d/);
  });

  test('the MemoryStore report says what broke, on which route, between which instances, and what to change', async () => {
    const dir = exampleApp('sessions-memory');
    const run = await check(dir, ['--run', 'node ../sessions-smoke.mjs', '--seed', '11']);
    const text = run.stdout.slice(run.stdout.indexOf('amnesia check FAILED'));
    expect(text).toMatch(/session-lost {2}GET \/profile {2}\(web: web\.\d( → |, )web\.\d.*; seen \d+ times?\)/);
    expect(text).toMatch(/previous: .* → 200 from web\.\d/);
    expect(text).toMatch(
      /then after a (hop from|restart) web\.\d.*: GET \/profile \(cookie: connect\.sid=<\d+ chars>\) → 401 from web\.\d/,
    );
    expect(text).toMatch(/state: the session \(connect\.sid\), held by web\.\d \(pid \d+/);
    expect(text).toMatch(/fix: express-session keeps sessions in its default MemoryStore/);
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
      execFileSync('node', ['../sessions-smoke.mjs'], {
        cwd: dir,
        env: { ...process.env, AMNESIA_URL: `http://127.0.0.1:${port}` },
        stdio: 'ignore',
      });
    } catch {
      // the smoke client fails against the shuffled formation: that is the point
    }
    await run.waitFor(
      /amnesia +\| FINDING session-lost on GET \/profile \(web: web\.\d → web\.\d\)\n.*previous: [\s\S]*hint: /,
    );
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});
