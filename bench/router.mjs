// npm run bench:router: wrk on loopback against one backend instance directly, through amnesia (one
// instance behind its router), through http-proxy 1.18 with a keep-alive agent, and through the smallest
// proxy one can write on undici's dispatch (no balancing, no events: the floor for a Node proxy built the
// way ours is); on a hello-world backend and on one that burns 1 ms of CPU per request; plus p50 latency
// at concurrency 1.
//
// This machine's speed drifts by 2-4x within minutes (shared cores), so every contender runs once per
// round, back to back, each round's figures are divided by that round's direct figure, and the median of
// the rounds' ratios is reported. The router's own CPU time per request is measured from /proc.
//
// BASELINE=/path/to/another/checkout (built) adds its amnesia, with and without --record, as two more
// contenders, interleaved like the others: how a change moved the router, or the recording, measured in the
// same rounds rather than on another day.
//
// PIN=1 gives the proxy under test a core of its own: wrk and every backend run on CPU 0, each proxy on CPU 1
// (amnesia's instance, a child of its manager, is moved back to CPU 0 once it listens). Unpinned, wrk, the
// backend and the proxy share two cores as the scheduler sees fit, and how much of the second core the proxy
// gets moves its throughput as much as its own work does; pinned, a proxy's throughput is one core divided by
// its cost per request. The direct figure then has one core for wrk and the backend together.
//
// "amnesia --record" is amnesia writing every request to a HAR file (start --record): what recording costs
// the router, as a ratio to amnesia without it in the same rounds; the file's entries are counted at the end.
// "minimal undici --record" is the floor for that: the minimal proxy with the smallest recording one can
// write (the fixture's RECORD), as a ratio to the minimal proxy.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { median, signalGroups, startGroup } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const seconds = Number(process.env.SECONDS ?? 4);
const rounds = Number(process.env.ROUNDS ?? 3);
const connections = Number(process.env.CONNECTIONS ?? 50);
const backendScript = join(root, 'bench/fixtures/backend.mjs');
const baseline = process.env.BASELINE ? resolve(process.env.BASELINE) : undefined;
const pin = process.env.PIN === '1';
/** argv run on one CPU when PIN=1 */
const on = (cpu, argv) => (pin ? ['taskset', '-c', String(cpu), ...argv] : argv);

try {
  execFileSync('wrk', ['--version'], { stdio: 'ignore' });
} catch (error) {
  if (error.code === 'ENOENT') {
    console.error('bench:router needs wrk: apt-get install -y wrk');
    process.exit(2);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((r) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listening on ${port}`);
}

const stops = [];
const groups = new Set();
// Killed before the end (Ctrl-C, a timeout): the contenders run detached in groups of their own, so the
// `finally` below never stops them. Each group gets SIGTERM (amnesia then stops its instances) and the
// scratch folder goes.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    signalGroups(groups);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
    process.exit(130);
  });
}
function start(command, env, cwd = root, cpu = 0) {
  const contender = startGroup(on(cpu, command), { cwd, env, groups, signal: 'SIGINT' });
  stops.push(contender.stop);
  return contender.pid;
}

const cpuSeconds = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** every process below pid (its instances, their shells, the watchdog) */
function descendants(pid) {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean);
  return children.flatMap((child) => [Number(child), ...descendants(Number(child))]);
}

// asynchronous, so a Ctrl-C between two rounds is handled at once (a blocked event loop ran no handler)
async function wrk(port, conns, secs) {
  const [command, ...args] = on(0, [
    'wrk',
    '-t1',
    `-c${conns}`,
    `-d${secs}s`,
    '--latency',
    `http://127.0.0.1:${port}/`,
  ]);
  const { stdout: out } = await promisify(execFile)(command, args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p50ms = p50 ? Number(p50[1]) * { us: 0.001, ms: 1, s: 1000 }[p50[2]] : NaN;
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out)?.[0];
  return { rps, requests, p50ms, errors };
}

// below the ephemeral range (32768 and up on Linux): there, a connection's local port (wrk's 50, the
// proxies' own) could take a contender's port before it listens; two scenarios use about 2,600 ports
let port = 20000 + Math.floor(Math.random() * 8000);
const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-router-'));
writeFileSync(join(dir, 'Procfile'), `web: node ${backendScript}\n`);
const appDir = (name) => {
  const app = join(dir, name);
  mkdirSync(app);
  writeFileSync(join(app, 'Procfile'), `web: node ${backendScript}\n`);
  return app;
};
const baselineApp = appDir('baseline');
const recordingApps = [];

// Starts every contender once; the proxies other than amnesia share the direct backend, which is idle
// while they are not measured. Returns name -> { port, pid (whose CPU is the proxy's) }.
async function contenders(burnMs) {
  const env = { BURN_MS: String(burnMs) };
  const direct = port++;
  const directPid = start(['node', backendScript], { ...env, PORT: String(direct) });
  // amnesia from a checkout, one web instance behind its router; each on ports and in an app folder of
  // its own (one `start` per folder)
  const amnesiaAt = (checkout, app, extra = []) => {
    const base = (port += 200);
    port += 200;
    const bin = join(checkout, 'bin/amnesia.js');
    const args = [
      'start',
      '--headless',
      '-m',
      'web=1',
      '--no-restart',
      '-p',
      String(base),
      '-f',
      join(app, 'Procfile'),
      ...extra,
    ];
    return { port: base, pid: start(['node', bin, ...args], env, app, 1) };
  };
  const amnesia = amnesiaAt(root, dir);
  const recordingApp = appDir(`record-${burnMs}`);
  recordingApps.push(recordingApp);
  const recording = amnesiaAt(root, recordingApp, ['--record', join(recordingApp, 'bench.har')]);
  const baselineRecording = appDir(`baseline-record-${burnMs}`);
  const before = baseline
    ? {
        'amnesia (baseline)': amnesiaAt(baseline, baselineApp),
        'amnesia --record (baseline)': amnesiaAt(baseline, baselineRecording, [
          '--record',
          join(baselineRecording, 'bench.har'),
        ]),
      }
    : {};
  const proxy = port++;
  const proxyPid = start(
    ['node', join(root, 'bench/fixtures/http-proxy.mjs')],
    { PORT: String(proxy), TARGET_PORT: String(direct) },
    root,
    1,
  );
  const minimal = port++;
  const minimalPid = start(
    ['node', join(root, 'bench/fixtures/minimal-undici.mjs')],
    { PORT: String(minimal), TARGET_PORT: String(direct) },
    root,
    1,
  );
  const minimalRecording = port++;
  const minimalRecordingPid = start(
    ['node', join(root, 'bench/fixtures/minimal-undici.mjs')],
    {
      PORT: String(minimalRecording),
      TARGET_PORT: String(direct),
      RECORD: join(appDir(`minimal-record-${burnMs}`), 'floor.har'),
    },
    root,
    1,
  );
  for (const p of [
    direct,
    amnesia.port,
    recording.port,
    proxy,
    minimal,
    minimalRecording,
    ...Object.values(before).map((b) => b.port),
  ]) {
    await waitPort(p);
  }
  // amnesia's instances inherited their manager's CPU: back to the backends' one
  if (pin) {
    for (const { port: p, pid } of [amnesia, recording, ...Object.values(before)]) {
      // the router answers once its instance is ready: the instance is running by then
      await fetch(`http://127.0.0.1:${p}/`).then((r) => r.arrayBuffer());
      for (const child of descendants(pid))
        execFileSync('taskset', ['-a', '-cp', '0', String(child)], { stdio: 'ignore' });
    }
  }
  return {
    direct: { port: direct, pid: directPid },
    amnesia,
    'amnesia --record': recording,
    ...before,
    'http-proxy': { port: proxy, pid: proxyPid },
    'minimal undici': { port: minimal, pid: minimalPid },
    'minimal undici --record': { port: minimalRecording, pid: minimalRecordingPid },
  };
}

async function scenario(burnMs) {
  const targets = await contenders(burnMs);
  const perRound = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, { port: p, pid }] of Object.entries(targets)) {
      await wrk(p, connections, 1);
      const cpuBefore = cpuSeconds(pid);
      const load = await wrk(p, connections, seconds);
      const cpuUsPerRequest = ((cpuSeconds(pid) - cpuBefore) / Math.max(1, load.requests)) * 1e6;
      const c1 = await wrk(p, 1, 2);
      perRound[name].push({ ...load, cpuUsPerRequest, c1p50ms: c1.p50ms });
    }
  }
  while (stops.length > 0) await stops.pop()();
  const directs = perRound.direct;
  return Object.fromEntries(
    Object.entries(perRound).map(([name, list]) => [
      name,
      {
        rps: median(list.map((r) => r.rps)),
        xDirect: median(list.map((r, i) => r.rps / directs[i].rps)),
        xProxy: median(list.map((r, i) => r.rps / perRound['http-proxy'][i].rps)),
        xMinimal: median(list.map((r, i) => r.rps / perRound['minimal undici'][i].rps)),
        xAmnesia: median(list.map((r, i) => r.rps / perRound.amnesia[i].rps)),
        xBaseline: baseline ? median(list.map((r, i) => r.rps / perRound['amnesia (baseline)'][i].rps)) : NaN,
        xBaselineRecord: baseline
          ? median(list.map((r, i) => r.rps / perRound['amnesia --record (baseline)'][i].rps))
          : NaN,
        overMinimalP50us: median(list.map((r, i) => (r.c1p50ms - perRound['minimal undici'][i].c1p50ms) * 1000)),
        addedP50ms: median(list.map((r, i) => r.c1p50ms - directs[i].c1p50ms)),
        p50ms: median(list.map((r) => r.c1p50ms)),
        cpuUs: median(list.map((r) => r.cpuUsPerRequest)),
        errors: list.find((r) => r.errors)?.errors,
      },
    ]),
  );
}

try {
  console.log(
    `bench:router: wrk -t1 -c${connections} -d${seconds}s on loopback, ${rounds} interleaved rounds (medians); p50 at -c1${pin ? '; PIN=1: wrk and backends on CPU 0, each proxy on CPU 1' : ''}`,
  );
  const summary = {};
  for (const [label, burn] of [
    ['hello world', 0],
    ['1 ms CPU per request', 1],
  ]) {
    const r = await scenario(burn);
    summary[label] = r;
    console.log('');
    console.log(`backend: ${label}`);
    console.log('                               req/s   x direct   x http-proxy   CPU/request   p50 @c1');
    for (const [name, v] of Object.entries(r)) {
      const cpu = `${v.cpuUs.toFixed(0)} us`;
      console.log(
        `${name.padEnd(28)} ${v.rps.toFixed(0).padStart(7)}   ${v.xDirect.toFixed(2).padStart(8)}   ${v.xProxy.toFixed(2).padStart(12)}   ${cpu.padStart(11)}   ${v.p50ms.toFixed(3)} ms${v.errors ? `  (${v.errors})` : ''}`,
      );
    }
  }
  const hw = summary['hello world'];
  const cpu = summary['1 ms CPU per request'];
  console.log('');
  console.log(
    `hello world: amnesia ${hw.amnesia.xDirect.toFixed(2)}x direct (target >= 0.45; the minimal undici proxy: ${hw['minimal undici'].xDirect.toFixed(2)}x), ${hw.amnesia.xProxy.toFixed(2)}x http-proxy (target >= 2.5)`,
  );
  console.log(`1 ms backend: amnesia ${cpu.amnesia.xDirect.toFixed(2)}x direct (target >= 0.9)`);
  console.log(`added p50 at concurrency 1: ${hw.amnesia.addedP50ms.toFixed(3)} ms (target <= 0.2)`);
  console.log(
    `against the floor: amnesia ${hw.amnesia.xMinimal.toFixed(2)}x the minimal undici proxy's throughput (target >= 0.9), p50 ${hw.amnesia.overMinimalP50us.toFixed(0)} us over it (target <= 20)`,
  );
  const recorded = recordingApps.map((app) => {
    const har = JSON.parse(readFileSync(join(app, 'bench.har'), 'utf8'));
    return har.log.entries.length;
  });
  console.log(
    `recording: amnesia --record ${hw['amnesia --record'].xAmnesia.toFixed(2)}x amnesia's req/s on hello world, ${cpu['amnesia --record'].xAmnesia.toFixed(2)}x on the 1 ms backend (target >= 0.9), ${(hw['amnesia --record'].cpuUs - hw.amnesia.cpuUs).toFixed(1)} us more CPU/request; ${recorded.map((n) => n.toLocaleString('en')).join(' and ')} requests recorded (valid HAR)`,
  );
  console.log(
    `the floor's recording: minimal undici --record ${hw['minimal undici --record'].xMinimal.toFixed(2)}x the minimal proxy's req/s on hello world, ${(hw['minimal undici --record'].cpuUs - hw['minimal undici'].cpuUs).toFixed(1)} us more CPU/request`,
  );
  const was = hw['amnesia (baseline)'];
  if (was) {
    console.log(
      `against the baseline (${baseline}): ${hw.amnesia.xBaseline.toFixed(2)}x its req/s, ${(hw.amnesia.cpuUs - was.cpuUs).toFixed(1)} us more CPU/request, the minimal proxy ratio ${hw.amnesia.xMinimal.toFixed(2)} vs ${was.xMinimal.toFixed(2)}`,
    );
    const wasRecording = hw['amnesia --record (baseline)'];
    console.log(
      `recording against the baseline's: ${hw['amnesia --record'].xBaselineRecord.toFixed(2)}x its req/s, ${(hw['amnesia --record'].cpuUs - wasRecording.cpuUs).toFixed(1)} us more CPU/request; the baseline's recording ${wasRecording.xBaseline.toFixed(2)}x its amnesia without`,
    );
  }
} finally {
  while (stops.length > 0) await stops.pop()();
  rmSync(dir, { recursive: true, force: true });
}
