// A fake operating system for the supervisor's and the instance's unit tests (as concurrently's FakeCommand):
// spawned "processes" are objects the test drives: they listen, print, crash, ignore SIGTERM or leave
// children behind, and every signal they receive is recorded. Time comes from a FakeClock.
import { PassThrough } from 'node:stream';

import type { ProcessControl } from '../../src/supervisor/process-control.js';
import type { Child, SpawnRequest } from '../../src/supervisor/spawn.js';
import type { FakeClock } from './clock.js';

export interface Behaviour {
  /** accepts connections (the readiness probe passes) as soon as it is spawned; default true */
  listens?: boolean;
  /** ignores SIGTERM (and SIGINT): only SIGKILL ends it */
  ignoresTerm?: boolean;
  /** the shell exits on a signal but a child it started stays in the group until SIGKILL */
  leavesChild?: boolean;
}

export class FakeProcess {
  readonly pid: number;
  readonly request: SpawnRequest;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: NodeJS.Signals[] = [];
  readonly spawnedAt: number;
  listening: boolean;
  /** the shell has exited */
  exitedShell = false;
  /** some member of the group is alive */
  groupAlive = true;
  /** what the group has used so far (groupUsage reads them) */
  cpuMs = 0;
  rss = 4 * 1024 * 1024;
  readonly behaviour: Behaviour;
  readonly exited: Promise<{ code: number | null; signal: string | null; error: string | undefined }>;
  #resolve!: (result: { code: number | null; signal: string | null; error: string | undefined }) => void;

  constructor(pid: number, request: SpawnRequest, behaviour: Behaviour, now: number) {
    this.pid = pid;
    this.request = request;
    this.behaviour = behaviour;
    this.spawnedAt = now;
    this.listening = behaviour.listens ?? true;
    this.exited = new Promise((resolve) => (this.#resolve = resolve));
  }

  get name(): string {
    return this.request.env['PS'] ?? '?';
  }

  get port(): number | undefined {
    const port = this.request.env['PORT'];
    return port === undefined ? undefined : Number(port);
  }

  print(line: string): void {
    this.stdout.write(`${line}\n`);
  }

  /** the process ends by itself (a crash, or a worker that is done) */
  exit(code: number | null, signal: string | null = null): void {
    if (this.exitedShell) return;
    this.exitedShell = true;
    this.listening = false;
    if (!this.behaviour.leavesChild || signal === 'SIGKILL') this.groupAlive = false;
    this.stdout.end();
    this.stderr.end();
    this.#resolve({ code, signal, error: undefined });
  }

  receive(signal: NodeJS.Signals): void {
    this.signals.push(signal);
    if (signal === 'SIGKILL') {
      this.groupAlive = false;
      this.exit(null, 'SIGKILL');
      return;
    }
    if (this.behaviour.ignoresTerm) return;
    this.exit(null, signal);
  }
}

export class FakeProcesses implements ProcessControl {
  readonly spawned: FakeProcess[] = [];
  readonly dirs = new Set<string>();
  /** how the next processes behave, by instance name (web.1) or type (web) */
  behaviours = new Map<string, Behaviour>();
  failMakeDir: string | undefined;
  #pid = 1000;
  #port = 40_000;
  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  spawn = (request: SpawnRequest): Child => {
    const name = request.env['PS'] ?? '';
    const behaviour = this.behaviours.get(name) ?? this.behaviours.get(name.split('.')[0] ?? '') ?? {};
    const proc = new FakeProcess(++this.#pid, request, behaviour, this.#clock.now());
    this.spawned.push(proc);
    return { pid: proc.pid, stdout: proc.stdout, stderr: proc.stderr, exited: proc.exited };
  };

  /** every process spawned for an instance name, oldest first */
  of(name: string): FakeProcess[] {
    return this.spawned.filter((p) => p.name === name);
  }

  /** the newest process of an instance name */
  last(name: string): FakeProcess {
    const all = this.of(name);
    const proc = all[all.length - 1];
    if (!proc) throw new Error(`nothing was spawned for ${name}`);
    return proc;
  }

  running(): FakeProcess[] {
    return this.spawned.filter((p) => p.groupAlive);
  }

  signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
    const proc = this.spawned.find((p) => p.pid === pgid);
    if (!proc?.groupAlive) return false;
    proc.receive(signal);
    return true;
  }

  groupAlive(pgid: number): boolean {
    return this.spawned.find((p) => p.pid === pgid)?.groupAlive ?? false;
  }

  groupUsage(pgids: readonly number[]): Promise<Map<number, { cpuMs: number; rss: number }>> {
    const live = this.spawned.filter((p) => p.groupAlive && pgids.includes(p.pid));
    return Promise.resolve(new Map(live.map((p) => [p.pid, { cpuMs: p.cpuMs, rss: p.rss }])));
  }

  stopStrays(): Promise<number> {
    return Promise.resolve(0);
  }

  makeDir(path: string): void {
    if (this.failMakeDir !== undefined) throw new Error(this.failMakeDir);
    this.dirs.add(path);
  }

  removeDir(path: string): void {
    this.dirs.delete(path);
  }

  freePort(): Promise<number> {
    return Promise.resolve(++this.#port);
  }

  probe(_host: string, port: number): () => Promise<boolean> {
    return () => Promise.resolve(this.spawned.some((p) => p.port === port && p.listening));
  }
}
