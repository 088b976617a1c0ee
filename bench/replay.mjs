// npm run bench:replay: the manager's peak RSS while `check --replay` replays a recording of 10,000 requests
// (1,000 clients of examples/sessions-cookie, recorded through `start --record`), beside the floors: the
// same 10,000 requests sent by a client of their own (`check --run`, the manager routes them and holds no
// replay), and a check of the example's 10-request smoke client.
//   REQUESTS=10000 (a multiple of 10)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { measure } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/amnesia.js');
const sessions = Number(process.env.REQUESTS ?? 10_000) / 10;
const driver = join(root, 'bench/fixtures/sessions-driver.mjs');

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-replay-'));
try {
  cpSync(join(root, 'examples'), join(dir, 'examples'), {
    recursive: true,
    filter: (src) => !/\/\.amnesia$/.test(src),
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const app = join(dir, 'examples/sessions-cookie');
  const har = join(dir, 'big.har');
  // the recording: one instance, no restarts, the driver's sessions through the router
  const port = await freePort();
  const start = spawn(
    process.execPath,
    [bin, 'start', '--headless', '--no-restart', '-m', 'web=1', '-p', String(port), '--record', har],
    { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  start.stdout.on('data', (c) => (out += c));
  while (!/all instances started/.test(out)) await new Promise((r) => setTimeout(r, 50));
  execFileSync(process.execPath, [driver, String(sessions)], {
    env: { ...process.env, AMNESIA_URL: `http://127.0.0.1:${port}` },
  });
  start.kill('SIGINT');
  await new Promise((r) => start.once('close', r));

  const check = async (args) =>
    measure([process.execPath, bin, 'check', '-p', String(await freePort()), '--seed', '1', ...args], { cwd: app });
  const replayed = await check(['--replay', har]);
  const routed = await check(['--run', `node ${driver} ${sessions}`]);
  const smoke = await check(['--run', 'node ../sessions-smoke.mjs']);
  console.log(`bench:replay: examples/sessions-cookie, ${sessions * 10} requests from ${sessions} clients`);
  console.log(
    `check --replay (the recording)      peak RSS ${replayed.rssMb.toFixed(0)} MB, ${replayed.wallS.toFixed(0)} s, exit ${replayed.code} (target: under 150 MB)`,
  );
  console.log(
    `check --run (the same requests)     peak RSS ${routed.rssMb.toFixed(0)} MB, ${routed.wallS.toFixed(0)} s, exit ${routed.code}`,
  );
  console.log(
    `check --run (10-request smoke)      peak RSS ${smoke.rssMb.toFixed(0)} MB, ${smoke.wallS.toFixed(0)} s, exit ${smoke.code}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
