// Shared helpers for the benchmarks (and scripts/replay-matrix.mjs): spawn a command, read its stdout, sample
// its CPU and peak RSS; a free port, a copy of the examples, a recording through `start --record`.
import { execSync, spawn } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TICK = 100; // USER_HZ on Linux

function sample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
    // a zombie has no VmHWM any more: keep the peak seen while it ran
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return { cpu, rssMb: hwm ? Number(hwm[1]) / 1024 : undefined };
  } catch {
    return undefined;
  }
}

const countLines = (buffer) => {
  let lines = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
  return lines;
};

// Runs argv with stdout into `sink` ('pipe': read by this process; or a file path); counts the lines that
// arrived; returns wall time, the process's own CPU and its peak RSS.
export function measure(argv, options = {}, sink = 'pipe') {
  return new Promise((resolve, reject) => {
    const fd = sink === 'pipe' ? undefined : openSync(sink, 'w');
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd ?? 'pipe', 'inherit'], ...options });
    let lines = 0;
    let last = { cpu: 0, rssMb: 0 };
    const timer = setInterval(() => {
      const now = sample(child.pid);
      if (now) last = { cpu: now.cpu, rssMb: Math.max(last.rssMb, now.rssMb ?? 0) };
    }, 10);
    child.stdout?.on('data', (chunk) => {
      lines += countLines(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      if (fd !== undefined) {
        closeSync(fd);
        lines = countLines(readFileSync(sink));
        rmSync(sink);
      }
      resolve({ code, lines, wallS, cpuS: last.cpu, rssMb: last.rssMb });
    });
  });
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export const ratio = (a, b) => (a / b).toFixed(2);

/** a port nothing listens on now */
export const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

/** a temp folder holding a copy of the examples (and node_modules linked), as a user's checkout would */
export function copyExamples(root, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(root, 'examples'), join(dir, 'examples'), {
    recursive: true,
    filter: (src) => !/\/\.amnesia$/.test(src),
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

// Records what `command` (a shell line, given AMNESIA_URL) sends to the app in `app` through `amnesia start
// --record har`, one instance and no restarts, as a developer browsing it would.
export async function recordThrough(bin, app, command, har) {
  const args = ['start', '--headless', '--no-restart', '-m', 'web=1', '-p', String(await freePort()), '--record', har];
  const start = spawn(process.execPath, [bin, ...args], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  start.stdout.on('data', (c) => (out += c));
  start.stderr.on('data', (c) => (out += c));
  const exited = new Promise((done) => start.once('close', done));
  while (!/all instances started/.test(out)) {
    if (start.exitCode !== null) throw new Error(`amnesia start exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /→ (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  execSync(command, { cwd: app, env: { ...process.env, AMNESIA_URL: url }, stdio: 'pipe' });
  start.kill('SIGINT');
  if ((await exited) !== 0) throw new Error(`amnesia start --record failed:\n${out}`);
}

/** argv in a process group of its own (detached, output ignored), in `groups` until it exits; stop() sends
 *  `signal` to the whole group and waits for the exit */
export function startGroup(argv, { cwd, env = {}, groups, signal = 'SIGTERM' }) {
  const child = spawn(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: 'ignore',
    detached: true,
  });
  groups.add(child.pid);
  const exited = new Promise((r) => child.once('exit', r));
  return {
    pid: child.pid,
    stop: async () => {
      try {
        process.kill(-child.pid, signal);
      } catch {}
      await exited;
      groups.delete(child.pid);
    },
  };
}

/** `signal` to every group in `groups` (contenders started by startGroup), for a bench stopped midway */
export function signalGroups(groups, signal = 'SIGTERM') {
  for (const pid of groups) {
    try {
      process.kill(-pid, signal);
    } catch {}
  }
}
