// npm run bench:instructions: what a routed request costs each proxy in instructions, a count that does not
// drift with this machine's speed (bench:router's throughput does, by 2-4x within minutes). Each proxy runs
// under valgrind's callgrind with counting off; a client sends WARM requests, counting goes on for N more
// (20,000: over 10,000 the same build counted from 182,000 to 230,000), and the user-space instructions are
// divided by N: those of all the proxy's threads, and those of its main thread alone. The main thread's is
// the steady figure. V8 optimizes on helper threads, and under valgrind, which runs one thread at a time,
// that work lags behind the requests that caused it: amnesia --record counted 290,000 and 368,000 per
// request in two runs of one build, the difference being TurboFan compiling inside the counted window, work
// that at full speed is done in the first seconds. The kernel's share is not counted: strace shows every
// contender making the same system calls per request (two reads, one write to the backend, one writev to
// the client), so the count is the part in which they differ.
//
// Contenders as in bench:router, on its hello-world backend: amnesia (one instance behind its router),
// amnesia --record, http-proxy with a keep-alive agent (the peer), the minimal undici proxy (the floor) and
// the same writing the smallest HAR entry one can (the floor for recording).
// BASELINE=/path/to/another/checkout (built) adds its amnesia, with and without --record; ONLY=amnesia,"amnesia
// (baseline)" runs just those (names as printed, comma-separated); KEEP=folder keeps each contender's
// callgrind file there (for callgrind_annotate: where the instructions went). Needs valgrind (apt-get install
// -y valgrind); about a minute and a half per contender.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Agent, request } from 'undici';

import { freePort, signalGroups, startGroup } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const warm = Number(process.env.WARM ?? 30_000);
const counted = Number(process.env.N ?? 20_000);
const connections = Number(process.env.CONNECTIONS ?? 10);
const baseline = process.env.BASELINE ? resolve(process.env.BASELINE) : undefined;
/** KEEP=folder: each contender's callgrind file is copied there, for callgrind_annotate */
const keep = process.env.KEEP ? resolve(process.env.KEEP) : undefined;
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

/** user-space instructions per request of the proxy `argv` listening on `port`: in all its threads, and in its
 *  main thread alone (the one that routes) */
async function instructions(name, argv, port, env = {}, cwd = root) {
  const out = join(dir, `callgrind.${name.replace(/\W+/g, '-')}`);
  const proxy = start(
    [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${out}.%p`,
      ...argv,
    ],
    env,
    cwd,
  );
  await answering(port);
  await send(port, warm);
  execFileSync('callgrind_control', ['-i', 'on', String(proxy.pid)], { stdio: 'ignore' });
  await send(port, counted);
  execFileSync('callgrind_control', ['-d', String(proxy.pid)], { stdio: 'ignore' });
  await proxy.stop();
  // the dump taken after the counted requests is part 1, a file per thread (-01 the main one); the one at
  // exit is not read
  const dumps = readdirSync(dir).filter((f) => join(dir, f).startsWith(`${out}.`) && /\.1-\d+$/.test(f));
  const summary = (f) => Number(/^summary: (\d+)$/m.exec(readFileSync(join(dir, f), 'latin1'))?.[1] ?? 0);
  if (keep) for (const f of dumps) copyFileSync(join(dir, f), join(keep, f.slice(f.indexOf('callgrind.'))));
  const main = dumps.find((f) => f.endsWith('.1-01'));
  return {
    all: dumps.reduce((sum, f) => sum + summary(f), 0) / counted,
    main: main ? summary(main) / counted : NaN,
  };
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
  const proxyOf =
    (script, env = {}) =>
    async () => {
      const port = await freePort();
      return [
        ['node', join(root, 'bench/fixtures', script)],
        port,
        { PORT: String(port), TARGET_PORT: String(backendPort), ...env },
      ];
    };
  const contenders = {
    'minimal undici': proxyOf('minimal-undici.mjs'),
    amnesia: app('amnesia', () => []),
    'amnesia --record': app('record', (folder) => ['--record', join(folder, 'bench.har')]),
    'http-proxy': proxyOf('http-proxy.mjs'),
    // the floor for recording: the minimal proxy writing the smallest HAR entry one can
    'minimal undici --record': proxyOf('minimal-undici.mjs', { RECORD: join(dir, 'floor.har') }),
    ...(baseline
      ? {
          'amnesia (baseline)': app('baseline', () => [], baseline),
          'amnesia --record (baseline)': app('baseline-record', (f) => ['--record', join(f, 'bench.har')], baseline),
        }
      : {}),
  };
  console.log(
    `bench:instructions: user-space instructions per request under callgrind, ${counted.toLocaleString('en')} requests over ${connections} connections after ${warm.toLocaleString('en')} to warm up; hello-world backend`,
  );
  console.log('');
  console.log('                              all threads   main thread   x minimal undici   x amnesia   (main thread)');
  const results = {};
  const only = process.env.ONLY?.split(',');
  const n = (v) => Math.round(v).toLocaleString('en');
  const ratio = (a, b) => (a && b ? (a.main / b.main).toFixed(2) : '-');
  for (const [name, plan] of Object.entries(contenders).filter(([c]) => !only || only.includes(c))) {
    const [argv, port, env, cwd] = await plan();
    const r = (results[name] = await instructions(name, argv, port, env, cwd));
    console.log(
      `${name.padEnd(28)} ${n(r.all).padStart(12)}  ${n(r.main).padStart(12)}   ${ratio(r, results['minimal undici']).padStart(16)}   ${ratio(r, results.amnesia).padStart(9)}`,
    );
  }
  await backend.stop();
  const r = results;
  const versus = (a, b) =>
    `${n(a.main - b.main)} main-thread instructions per request (${((a.main / b.main - 1) * 100).toFixed(1)}%), ${n(a.all - b.all)} in all threads`;
  console.log('');
  if (r.amnesia && r['amnesia (baseline)'])
    console.log(`against the baseline (${baseline}): ${versus(r.amnesia, r['amnesia (baseline)'])}`);
  if (r['amnesia --record'] && r['amnesia --record (baseline)'])
    console.log(`recording against the baseline's: ${versus(r['amnesia --record'], r['amnesia --record (baseline)'])}`);
  if (r.amnesia && r['amnesia --record']) console.log(`recording adds ${versus(r['amnesia --record'], r.amnesia)}`);
  if (r['minimal undici'] && r['minimal undici --record'])
    console.log(`the floor's recording adds ${versus(r['minimal undici --record'], r['minimal undici'])}`);
  if (r.amnesia && r['minimal undici'] && r['http-proxy'])
    console.log(
      `amnesia (main thread): ${(r['minimal undici'].main / r.amnesia.main).toFixed(2)}x the minimal proxy's instructions (as a throughput ratio: the same per request would be 1.00), ${(r['http-proxy'].main / r.amnesia.main).toFixed(2)}x fewer than http-proxy`,
    );
} finally {
  stopAll();
}
