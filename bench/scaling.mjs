// npm run bench:scaling: the demo of examples/scaling as numbers. One `amnesia start` of the demo app (5 ms of
// CPU per request), scaled web=1 -> 2 -> 3 with `amnesia scale` as `+` does it, each step under
// `amnesia load` (closed loop); throughput and p99 at each step, and the ratios to web=1. The floor: the
// same app answered directly (no router) under the same load generator; the peer of the load generator: wrk
// against web=2 (if wrk makes much more of the same formation, the generator is the limit, not the app).
// Also the CPU each part takes of the machine's cores while the load runs: the manager (the router), the
// load generator and the instances.
//
// This machine's speed drifts within minutes (shared cores): every step runs once per round, back to
// back, and the median of the rounds' figures and ratios is reported.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { median, signalGroups, startGroup } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const app = join(root, 'examples/scaling');
const bin = join(root, 'bin/amnesia.js');
const rounds = Number(process.env.ROUNDS ?? 3);
const secs = Number(process.env.LOAD_SECONDS ?? 5);
const connections = Number(process.env.CONNECTIONS ?? 16);
const workMs = process.env.WORK_MS ?? '5';
const run = promisify(execFile);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const groups = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

async function waitPort(port) {
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise((r) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`nothing listening on ${port}`);
}

const start = (argv, env) => startGroup(argv, { cwd: app, env: { WORK_MS: workMs, ...env }, groups });

const statOf = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};
const cpuSeconds = (pid) => {
  const fields = statOf(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
};
// an instance is a process group (its shell and what it runs): the CPU of every live member
const groupCpuSeconds = (pgid) =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .reduce((sum, pid) => (Number(statOf(pid)?.[2]) === pgid ? sum + cpuSeconds(pid) : sum), 0);

const amnesia = (args) => run('node', [bin, ...args], { cwd: app, encoding: 'utf8' });
const ps = async () => JSON.parse((await amnesia(['ps', '--json'])).stdout);

// `amnesia load` as a process of its own, its CPU and the manager's and instances' over the same seconds
// (`watched`: the manager's pid, then the instances' process groups; or, direct, the app's group)
async function load(url, watched) {
  const cpu = (i) => (i === 0 && watched.length > 1 ? cpuSeconds(watched[0]) : groupCpuSeconds(watched[i]));
  const before = watched.map((_, i) => cpu(i));
  const started = Date.now();
  const child = spawn('node', [bin, 'load', url, '-c', String(connections), '-d', `${secs}s`, '--json'], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  let loadCpu = 0;
  const sampler = setInterval(() => (loadCpu = cpuSeconds(child.pid) || loadCpu), 200);
  await new Promise((r) => child.once('close', r));
  clearInterval(sampler);
  const wall = (Date.now() - started) / 1000;
  const summary = JSON.parse(out);
  const share = (i) => (cpu(i) - before[i]) / wall;
  return {
    rps: summary.rps,
    p50: summary.latencyMs.p50,
    p99: summary.latencyMs.p99,
    load: loadCpu / wall,
    shares: watched.map((_, i) => share(i)),
  };
}

async function wrk(url) {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, '--latency', url], {
    encoding: 'utf8',
  });
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p99: p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN,
  };
}

async function scaleTo(n) {
  await amnesia(['scale', `web=${n}`]);
  for (let i = 0; i < 200; i++) {
    const rows = await ps();
    if (rows.filter((r) => r.type === 'web' && r.state === 'ready').length === n) return rows;
    await sleep(50);
  }
  throw new Error(`web=${n} never got ready`);
}

const results = { direct: [], web1: [], web2: [], web3: [], wrk2: [] };
const port = 21000 + Math.floor(Math.random() * 20000);
// a failure midway (a load that printed no JSON, a formation never ready) stops what is running before it
// is reported: the contenders run detached, so nothing else would
const stopAll = () => signalGroups(groups);
try {
  for (let round = 0; round < rounds; round++) {
    const direct = start(['node', 'server.mjs'], { PORT: String(port + 500) });
    await waitPort(port + 500);
    results.direct.push(await load(`http://127.0.0.1:${port + 500}/`, [direct.pid]));
    await direct.stop();

    const manager = start(['node', bin, 'start', '--headless', '-p', String(port)], {});
    await waitPort(port);
    const url = `http://127.0.0.1:${port}/`;
    for (const n of [1, 2, 3]) {
      const rows = await scaleTo(n);
      const result = await load(url, [manager.pid, ...rows.map((r) => r.pid)]);
      results[`web${n}`].push(result);
      if (n === 2) results.wrk2.push(await wrk(url));
    }
    await manager.stop();
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
} catch (error) {
  stopAll();
  throw error;
}

const med = (list, pick) => median(list.map(pick));
const pct = (x) => `${Math.round(x * 100)}%`;
console.log(
  `bench:scaling: examples/scaling (${workMs} ms of CPU per request), amnesia load -c${connections} -d${secs}s, ${rounds} rounds (medians)\n`,
);
console.log('                   req/s   x web=1       p50       p99   manager   load gen   instances');
const ms = (list, key) =>
  `${med(list, (r) => r[key])
    .toFixed(1)
    .padStart(6)} ms`;
const row = (name, list, ratio) => {
  const shares = list.map((r) => r.shares);
  const direct = name.startsWith('direct');
  const manager = direct ? '-' : pct(median(shares.map((s) => s[0])));
  const instances = pct(median(shares.map((s) => s.slice(direct ? 0 : 1).reduce((a, b) => a + b, 0))));
  const rps = String(Math.round(med(list, (r) => r.rps))).padStart(7);
  const cpu = `${manager.padStart(8)} ${pct(med(list, (r) => r.load)).padStart(10)} ${instances.padStart(11)}`;
  console.log(`${name.padEnd(16)} ${rps}   ${ratio.padStart(6)} ${ms(list, 'p50')} ${ms(list, 'p99')} ${cpu}`);
};
const ratioTo1 = (list) => `${median(list.map((r, i) => r.rps / results.web1[i].rps)).toFixed(2)}x`;
row('direct (floor)', results.direct, ratioTo1(results.direct));
for (const n of [1, 2, 3]) row(`web=${n}`, results[`web${n}`], ratioTo1(results[`web${n}`]));
console.log(
  `\nwrk on web=2 (the load generator's peer): ${Math.round(med(results.wrk2, (r) => r.rps))} req/s, p99 ${med(results.wrk2, (r) => r.p99).toFixed(1)} ms` +
    ` (${median(results.wrk2.map((r, i) => r.rps / results.web2[i].rps)).toFixed(2)}x amnesia load)`,
);
const latency = (n, key) => median(results[`web${n}`].map((r, i) => r[key] / results.web1[i][key])).toFixed(2);
console.log(
  `web=2 / web=1: p50 ${latency(2, 'p50')}x, p99 ${latency(2, 'p99')}x · web=3 / web=1: p50 ${latency(3, 'p50')}x, p99 ${latency(3, 'p99')}x`,
);
console.log('CPU columns: share of one core while the load ran (the machine has two).');
