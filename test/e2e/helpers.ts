import { execFileSync, execSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, onTestFinished } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/amnesia.js');
const FIXTURES = join(ROOT, 'test/fixtures');

export interface App {
  dir: string;
  /** `node <dir>/<script>`: an absolute path, so `ps` can find this app's processes by its dir */
  node: (script: string, ...args: string[]) => string;
}

// When the test ends, whatever still runs from `dir` is killed and the folder removed.
function removeWhenDone(dir: string): void {
  onTestFinished(() => {
    for (const pid of liveProcesses(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
}

// A temporary app folder with the fixture scripts and the given files; removed when the test ends.
export function makeApp(files: Record<string, string | ((app: App) => string)>): App {
  const dir = mkdtempSync(join(tmpdir(), 'amnesia-e2e-'));
  cpSync(FIXTURES, dir, { recursive: true });
  // fixture apps import test dependencies (ws)
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const app: App = { dir, node: (script, ...args) => ['node', join(dir, script), ...args].join(' ') };
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'function' ? content(app) : content);
  removeWhenDone(dir);
  return app;
}

export interface Amnesia {
  child: ChildProcess;
  /** everything printed on stdout so far */
  stdout(): string;
  stderr(): string;
  /** resolves with the text once stdout matches, rejects on exit or after the timeout */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
}

// Spawns bin/amnesia with piped output (so headless), FORCE_COLOR off.
export function amnesia(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Amnesia {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env };
  // undefined: not set at all
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('close', (code, signal) => {
      done({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  let finished = false;
  void exited.then(() => (finished = true));
  onTestFinished(() => {
    if (!finished) child.kill('SIGKILL');
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal: (signal) => child.kill(signal),
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((done, fail) => {
        const check = (): void => {
          const match = pattern.exec(out);
          if (match) {
            cleanup();
            done(match);
          } else if (finished) {
            cleanup();
            fail(new Error(`amnesia exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

// Runs bin/amnesia to completion.
export async function amnesiaDone(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = amnesia(args, options);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

// Running processes (not zombies, not dead ones being released) whose command line mentions `marker`.
function processesOf(marker: string): Array<{ pid: number; line: string }> {
  const table = execFileSync('ps', ['-eo', 'pid=,stat=,ppid=,pgid=,etimes=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+\d+\s+\d+\s+\d+\s+(.*)$/.exec(line))
    .filter(
      (m): m is RegExpExecArray =>
        m !== null && !/^[ZX]/.test(m[2]!) && m[3]!.includes(marker) && Number(m[1]) !== process.pid,
    )
    .map((m) => ({ pid: Number(m[1]), line: m[0].trim() }));
}

/** pids of the running processes whose command line mentions `marker` */
export function liveProcesses(marker: string): number[] {
  return processesOf(marker).map((p) => p.pid);
}

/** asserts that nothing mentioning `marker` runs; a failure shows each one's pid, state, parent, group, age and command */
export function expectNoneLeft(marker: string): void {
  expect(processesOf(marker).map((p) => p.line)).toEqual([]);
}

// Polls a condition (for things that have no event to await, like another process's death).
export async function eventually(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

// Starts amnesia on an app and waits until every instance is ready; returns the router URL.
export async function startRouted(
  app: App,
  args: string[],
  readyPattern = /all instances started/,
): Promise<{ run: Amnesia; url: string }> {
  const run = amnesia(['start', ...args], { cwd: app.dir });
  const [, url = ''] = await run.waitFor(/→ (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitFor(readyPattern);
  return { run, url };
}

// A free port for a router (the OS picks it; nothing else in the test run uses it afterwards).
export async function freeBasePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Established TCP connections owned by a process (ss), for socket-leak checks.
export function establishedSockets(pid: number): number {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(`pid=${pid},`)).length;
}

// Sends raw bytes to a port and collects everything until the server closes the connection; a server
// that leaves it open past the timeout gets '(still open)' appended.
export async function rawExchange(port: number, data: string | Buffer, timeoutMs = 5000): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let out = '';
    const timer = setTimeout(() => {
      out += '(still open)';
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.write(data);
  });
}

// A copy of examples/ in a temp folder (with node_modules linked), so runs never write into the repo.
/** examples/catalog.json: each example's smoke command, and the cause-level finding of the stateful ones */
export const examples: Array<{ example: string; smoke: string; cause?: string }> = JSON.parse(
  readFileSync(join(ROOT, 'examples/catalog.json'), 'utf8'),
);

export function exampleApp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'amnesia-example-'));
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), {
    recursive: true,
    filter: (src) => !src.includes('/uploads/') && !src.endsWith('/uploads'),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  removeWhenDone(dir);
  return join(dir, 'examples', name);
}

export interface CheckRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: {
    passed: boolean;
    seed: number;
    restarts: number;
    findings: Array<{
      kind: string;
      route: string;
      instances: string[];
      evidence: string[];
      hint: string;
      state?: string;
      heldBy?: string;
      advisory?: boolean;
    }>;
    coverage?: { hops: number; afterRestart: number; restarts: number; warnings: string[] };
  };
  reportPath: string;
  junitPath: string;
}

// `amnesia check` with JSON and JUnit reports written to the app's folder.
export async function check(dir: string, args: string[], env?: Record<string, string>): Promise<CheckRun> {
  // beside the app, not in it (a file written in the app root is what a local-write finding is about);
  // beside a makeApp folder is the temp dir itself, so the files go when the test ends
  const reportPath = join(dir, '..', `report-${process.pid}-${Date.now()}.json`);
  const junitPath = reportPath.replace(/\.json$/, '.xml');
  onTestFinished(() => {
    for (const path of [reportPath, junitPath]) rmSync(path, { force: true });
  });
  const result = await amnesiaDone(
    ['check', '-p', String(await freeBasePort()), '--report', reportPath, '--junit', junitPath, ...args],
    { cwd: dir, ...(env ? { env } : {}) },
  );
  const { readFileSync, existsSync } = await import('node:fs');
  const report = existsSync(reportPath)
    ? JSON.parse(readFileSync(reportPath, 'utf8'))
    : { passed: false, seed: -1, restarts: 0, findings: [] };
  return { ...result, report, reportPath, junitPath };
}

export interface Traffic {
  /** instances that answered (X-Amnesia-Instance) */
  seen: Set<string>;
  /** stops the clients; resolves with how many requests succeeded and what failed */
  stop(): Promise<{ ok: number; failed: string[] }>;
}

// Keep-alive clients requesting `path` in loops until stopped.
export async function keepRequesting(url: string, clients: number, path = '/slow?ms=20'): Promise<Traffic> {
  const { Pool } = await import('undici');
  const pool = new Pool(url, { connections: clients });
  const seen = new Set<string>();
  const failed: string[] = [];
  let ok = 0;
  let running = true;
  const loops = Promise.all(
    Array.from({ length: clients }, async () => {
      while (running) {
        try {
          const res = await pool.request({ path, method: 'GET' });
          await res.body.text();
          if (res.statusCode === 200) {
            ok++;
            seen.add(String(res.headers['x-amnesia-instance']));
          } else failed.push(String(res.statusCode));
        } catch (error) {
          failed.push(String(error));
        }
      }
    }),
  );
  return {
    seen,
    stop: async () => {
      running = false;
      await loops;
      await pool.close();
      return { ok, failed };
    },
  };
}

// A raw WebSocket upgrade request head for `path` (a fixed key: the tests never check the accept value).
export const upgradeHead = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

// A client that sends `text`, then hangs up `afterMs` later without waiting for an answer; resolves once closed.
export async function sendAndLeave(port: number, text: string, afterMs: number): Promise<void> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(text);
      setTimeout(() => socket.destroy(), afterMs);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
}

// Records what an example's smoke command sends through `start --record` (one instance, no restarts), as a
// developer browsing the app would, and returns the HAR's path.
export async function record(dir: string, smoke: string): Promise<{ har: string; stderr: string }> {
  const har = join(dir, 'session.har');
  const run = amnesia(['start', '--no-restart', '-m', 'web=1', '-p', String(await freeBasePort()), '--record', har], {
    cwd: dir,
  });
  const [, url = ''] = await run.waitFor(/→ (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitFor(/all instances started/);
  execSync(smoke, { cwd: dir, env: { ...process.env, AMNESIA_URL: url }, stdio: 'pipe' });
  run.signal('SIGINT');
  expect((await run.exited).code).toBe(0);
  return { har, stderr: run.stderr() };
}
