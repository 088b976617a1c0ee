// npm run bench:instructions: what a routed request costs each proxy in instructions, a count that does not
// drift with this machine's speed (bench:router's throughput does, by 2-4x within minutes). Each proxy runs
// under valgrind's callgrind with counting off; a client sends WARM requests (V8 has compiled the hot paths
// by then), counting goes on for N more (20,000: over 10,000 the same build counted from 182,000 to
// 230,000), and the user-space instructions of all the proxy's threads (the main thread, V8's compiler and
// GC helpers, libuv's pool) are divided by N. The kernel's share is not counted: strace shows every
// contender making the same system calls per request (two reads, one write to the backend, one writev to
// the client), so the count is the part in which they differ.
//
// Contenders as in bench:router, on its hello-world backend: amnesia (one instance behind its router),
// amnesia --record, http-proxy with a keep-alive agent (the peer) and the minimal undici proxy (the floor).
// BASELINE=/path/to/another/checkout (built) adds its amnesia; ONLY=amnesia,"amnesia (baseline)" runs just
// those (names as printed, comma-separated). Needs valgrind (apt-get install -y valgrind);
// about a minute and a half per contender.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Agent, request } from 'undici';

import { freePort, signalGroups, startGroup } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const warm = Number(process.env.WARM ?? 30_000);
const counted = Number(process.env.N ?? 20_000);
const connections = Number(process.env.CONNECTIONS ?? 10);
const baseline = process.env.BASELINE ? resolve(process.env.BASELINE) : undefined;
const backendScript = join(root, 'bench/fixtures/backend.mjs');

for (const tool of ['valgrind', 'callgrind_control']) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    console.error(`bench:instructions needs ${tool}: apt-get install -y valgrind`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-instructions-'));
const groups = new Set();
// SIGTERM, not SIGKILL: valgrind then removes its vgdb pipes from the temp folder (callgrind_control talks
// through them); killed, it leaves three files behind
const stopAll = () => {
  signalGroups(groups);
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

const start = (argv, env, cwd = root) => startGroup(argv, { cwd, env, groups, signal: 'SIGINT' });

/** sends `count` GETs over `connections` keep-alive connections, each waiting for its answer */
async function send(port, count) {
  const agent = new Agent({ connections, pipelining: 1 });
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const answer = await request(`http://127.0.0.1:${port}/`, { dispatcher: agent });
      await answer.body.text();
      if (answer.statusCode !== 200) throw new Error(`${port} answered ${answer.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await agent.close();
}

async function answering(port) {
  for (let i = 0; i < 600; i++) {
    try {
      await send(port, 1);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`nothing answered on ${port}`);
}

/** user-space instructions per request of the proxy `argv` listening on `port` */
async function instructions(name, argv, port, env = {}, cwd = root) {
  const out = join(dir, `callgrind.${name.replace(/\W+/g, '-')}`);
  const proxy = start(
    ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}.%p`, ...argv],
    env,
    cwd,
  );
  await answering(port);
  await send(port, warm);
  execFileSync('callgrind_control', ['-i', 'on', String(proxy.pid)], { stdio: 'ignore' });
  await send(port, counted);
  execFileSync('callgrind_control', ['-d', String(proxy.pid)], { stdio: 'ignore' });
  await proxy.stop();
  // the dump taken after the counted requests is part 1; the one at exit is not read
  const dump = readdirSync(dir).find((f) => join(dir, f).startsWith(`${out}.`) && f.endsWith('.1'));
  return Number(/^summary: (\d+)$/m.exec(readFileSync(join(dir, dump), 'latin1'))[1]) / counted;
}

try {
  const backendPort = await freePort();
  const backend = start(['node', backendScript], { PORT: String(backendPort) });
  await answering(backendPort);
  // amnesia from a checkout, one instance behind its router, in an app folder of its own
  const app =
    (name, extra, checkout = root) =>
    async () => {
      const folder = join(dir, name);
      mkdirSync(folder);
      writeFileSync(join(folder, 'Procfile'), `web: node ${backendScript}\n`);
      const port = await freePort();
      const args = ['start', '--headless', '-m', 'web=1', '--no-restart', '-p', String(port), ...extra(folder)];
      return [['node', join(checkout, 'bin/amnesia.js'), ...args], port, {}, folder];
    };
  const proxyOf = (script) => async () => {
    const port = await freePort();
    return [
      ['node', join(root, 'bench/fixtures', script)],
      port,
      { PORT: String(port), TARGET_PORT: String(backendPort) },
    ];
  };
  const contenders = {
    'minimal undici': proxyOf('minimal-undici.mjs'),
    amnesia: app('amnesia', () => []),
    'amnesia --record': app('record', (folder) => ['--record', join(folder, 'bench.har')]),
    'http-proxy': proxyOf('http-proxy.mjs'),
    ...(baseline ? { 'amnesia (baseline)': app('baseline', () => [], baseline) } : {}),
  };
  console.log(
    `bench:instructions: user-space instructions per request under callgrind, ${counted.toLocaleString('en')} requests over ${connections} connections after ${warm.toLocaleString('en')} to warm up; hello-world backend`,
  );
  console.log('');
  console.log('                      per request   x minimal undici   x amnesia');
  const results = {};
  const only = process.env.ONLY?.split(',');
  for (const [name, plan] of Object.entries(contenders).filter(([n]) => !only || only.includes(n))) {
    const [argv, port, env, cwd] = await plan();
    results[name] = await instructions(name, argv, port, env, cwd);
    const floor = results['minimal undici'] ?? NaN;
    const ours = results.amnesia;
    console.log(
      `${name.padEnd(20)} ${Math.round(results[name]).toLocaleString('en').padStart(12)}   ${(results[name] / floor).toFixed(2).padStart(16)}   ${ours ? (results[name] / ours).toFixed(2).padStart(9) : '        -'}`,
    );
  }
  await backend.stop();
  const r = results;
  console.log('');
  if (r.amnesia && r['amnesia (baseline)'])
    console.log(
      `against the baseline (${baseline}): ${Math.round(r.amnesia - r['amnesia (baseline)']).toLocaleString('en')} instructions per request (${((r.amnesia / r['amnesia (baseline)'] - 1) * 100).toFixed(1)}%)`,
    );
  if (Object.keys(r).length >= 4)
    console.log(
      `amnesia: ${(r['minimal undici'] / r.amnesia).toFixed(2)}x the minimal proxy's instructions (as a throughput ratio: the same per request would be 1.00), ${(r['http-proxy'] / r.amnesia).toFixed(2)}x fewer than http-proxy; recording adds ${Math.round(r['amnesia --record'] - r.amnesia).toLocaleString('en')} (${((r['amnesia --record'] / r.amnesia - 1) * 100).toFixed(0)}%)`,
    );
} finally {
  stopAll();
}
