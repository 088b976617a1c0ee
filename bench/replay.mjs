// npm run bench:replay: the manager's peak RSS while `check --replay` replays a recording of 10,000 requests
// (1,000 clients of examples/sessions-cookie, recorded through `start --record`), beside the floors: the
// same 10,000 requests sent by a client of their own (`check --run`, the manager routes them and holds no
// replay), and a check of the example's 10-request smoke client. The replay client's process (the recording,
// its cookie jars, the comparison) is reported beside the manager.
//   REQUESTS=10000 (a multiple of 10)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { copyExamples, freePort, measure, recordThrough } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/amnesia.js');
const sessions = Number(process.env.REQUESTS ?? 10_000) / 10;
const driver = join(root, 'bench/fixtures/sessions-driver.mjs');

// the replay client's process (check --replay replays from a process of its own, as a smoke client runs in
// its own): its peak RSS, read from /proc while the check runs
function peakOf(script) {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(script)) continue;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
      } catch {
        // gone meanwhile
      }
    }
  }, 50);
  return () => (clearInterval(timer), peak);
}

const dir = copyExamples(root, 'amnesia-bench-replay-');
try {
  const app = join(dir, 'examples/sessions-cookie');
  const har = join(dir, 'big.har');
  await recordThrough(bin, app, `node ${driver} ${sessions}`, har);

  const check = async (args) =>
    measure([process.execPath, bin, 'check', '-p', String(await freePort()), '--seed', '1', ...args], { cwd: app });
  const clientPeak = peakOf('bundle/replay-client.js');
  const replayed = await check(['--replay', har]);
  const client = clientPeak();
  const routed = await check(['--run', `node ${driver} ${sessions}`]);
  const smoke = await check(['--run', 'node ../sessions-smoke.mjs']);
  console.log(`bench:replay: examples/sessions-cookie, ${sessions * 10} requests from ${sessions} clients`);
  console.log(
    `check --replay (the recording)      peak RSS ${replayed.rssMb.toFixed(0)} MB, ${replayed.wallS.toFixed(0)} s, exit ${replayed.code} (target: under 150 MB)`,
  );
  console.log(`  its replay client's process        peak RSS ${client.toFixed(0)} MB`);
  console.log(
    `check --run (the same requests)     peak RSS ${routed.rssMb.toFixed(0)} MB, ${routed.wallS.toFixed(0)} s, exit ${routed.code}`,
  );
  console.log(
    `check --run (10-request smoke)      peak RSS ${smoke.rssMb.toFixed(0)} MB, ${smoke.wallS.toFixed(0)} s, exit ${smoke.code}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
