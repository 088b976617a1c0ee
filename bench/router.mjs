// npm run bench:router: wrk on loopback against one backend instance directly, through amnesia (one
// instance behind its router) and through http-proxy 1.18 with a keep-alive agent; on a hello-world
// backend and on one that burns 1 ms of CPU per request; plus p50 latency at concurrency 1.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const seconds = Number(process.env.SECONDS ?? 6);
const connections = Number(process.env.CONNECTIONS ?? 50);
const backendScript = join(root, 'bench/fixtures/backend.mjs');

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

function start(argv, env, cwd = root) {
  const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: 'ignore', detached: true });
  return () => {
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {}
    return new Promise((r) => child.once('exit', r));
  };
}

function wrk(port, conns, secs) {
  const out = execFileSync('wrk', ['-t1', `-c${conns}`, `-d${secs}s`, '--latency', `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p50ms = p50 ? Number(p50[1]) * { us: 0.001, ms: 1, s: 1000 }[p50[2]] : NaN;
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out)?.[0];
  return { rps, p50ms, errors };
}

let port = 20000 + Math.floor(Math.random() * 20000);
const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-router-'));
writeFileSync(join(dir, 'Procfile'), `web: node ${backendScript}\n`);

async function scenario(burnMs) {
  const env = { BURN_MS: String(burnMs) };
  const results = {};
  // direct
  const direct = port++;
  let stop = start(['node', backendScript], { ...env, PORT: String(direct) });
  await waitPort(direct);
  wrk(direct, connections, 1);
  results.direct = wrk(direct, connections, seconds);
  results.direct.c1 = wrk(direct, 1, Math.min(seconds, 4));
  await stop();
  // amnesia, one instance behind the router
  const base = (port += 200);
  port += 200;
  stop = start(['node', join(root, 'bin/amnesia.js'), 'start', '--headless', '-m', 'web=1', '--no-restart', '-p', String(base), '-f', join(dir, 'Procfile')], env, dir);
  await waitPort(base);
  await sleep(500);
  wrk(base, connections, 1);
  results.amnesia = wrk(base, connections, seconds);
  results.amnesia.c1 = wrk(base, 1, Math.min(seconds, 4));
  await stop();
  // http-proxy with keep-alive in front of one backend
  const backend = port++;
  const proxyPort = port++;
  const stopBackend = start(['node', backendScript], { ...env, PORT: String(backend) });
  stop = start(['node', join(root, 'bench/fixtures/http-proxy.mjs')], { PORT: String(proxyPort), TARGET_PORT: String(backend) });
  await waitPort(backend);
  await waitPort(proxyPort);
  wrk(proxyPort, connections, 1);
  results['http-proxy'] = wrk(proxyPort, connections, seconds);
  results['http-proxy'].c1 = wrk(proxyPort, 1, Math.min(seconds, 4));
  await stop();
  await stopBackend();
  return results;
}

const fmt = (n) => n.toFixed(0).padStart(7);
try {
  console.log(`bench:router: wrk -t1 -c${connections} -d${seconds}s on loopback; p50 at -c1`);
  const summary = {};
  for (const [label, burn] of [['hello world', 0], ['1 ms CPU per request', 1]]) {
    const r = await scenario(burn);
    summary[label] = r;
    console.log('');
    console.log(`backend: ${label}`);
    console.log('              req/s   x direct   p50 @c1');
    for (const [name, v] of Object.entries(r)) {
      console.log(`${name.padEnd(12)} ${fmt(v.rps)}   ${(v.rps / r.direct.rps).toFixed(2).padStart(8)}   ${v.c1.p50ms.toFixed(3)} ms${v.errors ? `  (${v.errors})` : ''}`);
    }
  }
  const hw = summary['hello world'];
  const cpu = summary['1 ms CPU per request'];
  console.log('');
  console.log(`hello world: amnesia ${(hw.amnesia.rps / hw.direct.rps).toFixed(2)}x direct (target >= 0.45), ${(hw.amnesia.rps / hw['http-proxy'].rps).toFixed(2)}x http-proxy (target >= 2.5)`);
  console.log(`1 ms backend: amnesia ${(cpu.amnesia.rps / cpu.direct.rps).toFixed(2)}x direct (target >= 0.9)`);
  console.log(`added p50 at concurrency 1: ${(hw.amnesia.c1.p50ms - hw.direct.c1.p50ms).toFixed(3)} ms (target <= 0.2)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
