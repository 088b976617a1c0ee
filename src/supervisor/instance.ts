import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';

import type { EventBus } from '../events/bus.js';
import type { InstanceRef, InstanceState, OutputStream } from '../events/types.js';
import { LineSplitter } from './line-splitter.js';
import { OutputTail } from './output-tail.js';
import { groupAlive, RUN_ID_VAR, signalGroup, stopStrays, waitGroupGone } from './process-group.js';
import { waitReady, type Probe } from './readiness.js';
import { exitedAtOnce, type Child, type Spawn } from './spawn.js';
import type { Watchdog } from './watchdog.js';

export interface InstanceSpec extends InstanceRef {
  command: string;
  cwd: string;
  /** the app's environment; PORT, PS, AMNESIA_INSTANCE and TMPDIR are added per instance */
  env: Record<string, string>;
  port: number | undefined;
  tmpRoot: string;
  /** undefined: ready as soon as it is spawned (non-routed types) */
  probe: Probe | undefined;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

export interface InstanceDeps {
  spawn: Spawn;
  bus: EventBus;
  watchdog: Watchdog;
}

/** how an exit's error begins when the instance's own temp dir could not be made (nothing was spawned) */
export const TMPDIR_FAILED = 'its temp dir cannot be made';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** true when amnesia asked it to stop */
  requested: boolean;
  /** spawn itself failed (e.g. the app root does not exist) */
  error: string | undefined;
  /** amnesia SIGKILLed the group this long after its first signal: whatever the child's own exit says, that is what ended it */
  killedAfterMs: number | undefined;
}

export type ReadyResult = 'ready' | 'exited' | 'timeout';

const LAST_LINES = 20;
const TAIL_BYTES = 16 * 1024;
const KILL_GRACE_MS = 2000;

// One process of a type: spawns it in its own group, relays its output, probes readiness, stops its whole group.
export class Instance {
  readonly spec: InstanceSpec;
  state: InstanceState = 'starting';
  pid = -1;
  startedAt = 0;
  readyAt: number | undefined;
  /** the latest output, decoded into lines only when an error message needs them */
  readonly #tail = new OutputTail(TAIL_BYTES);
  readonly exited: Promise<ExitInfo>;
  readonly ready: Promise<ReadyResult>;

  readonly #deps: InstanceDeps;
  readonly #tmpdir: string;
  /** marks every process this instance starts, also those that leave its process group */
  readonly #runId: string;
  readonly #abort = new AbortController();
  #child: Child | undefined;
  #requested = false;
  #killedAfterMs: number | undefined;
  #resolveExit!: (info: ExitInfo) => void;
  #resolveReady!: (result: ReadyResult) => void;

  constructor(spec: InstanceSpec, deps: InstanceDeps) {
    this.spec = spec;
    this.#deps = deps;
    this.#tmpdir = join(spec.tmpRoot, `${spec.name}-${spec.uid}`);
    this.#runId = `${basename(spec.tmpRoot)}.${spec.uid}`;
    this.exited = new Promise((resolve) => (this.#resolveExit = resolve));
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
  }

  get ref(): InstanceRef {
    return { name: this.spec.name, type: this.spec.type, uid: this.spec.uid };
  }

  start(replacing = false): void {
    const { spec } = this;
    let failed: string | undefined;
    try {
      mkdirSync(this.#tmpdir, { recursive: true });
    } catch (error) {
      failed = `${TMPDIR_FAILED} (${(error as Error).message})`;
    }
    const env: Record<string, string> = {
      ...spec.env,
      PS: spec.name,
      AMNESIA_INSTANCE: spec.name,
      [RUN_ID_VAR]: this.#runId,
      TMPDIR: this.#tmpdir,
      TMP: this.#tmpdir,
      TEMP: this.#tmpdir,
    };
    if (spec.port !== undefined) env['PORT'] = String(spec.port);
    const child =
      failed === undefined ? this.#deps.spawn({ command: spec.command, cwd: spec.cwd, env }) : exitedAtOnce(failed);
    this.#child = child;
    this.pid = child.pid;
    this.startedAt = Date.now();
    // a spawn that failed at once has no process to show: its exit says why
    if (child.pid > 0) {
      this.#deps.watchdog.trackGroup(child.pid);
      this.#deps.bus.emit({ ...this.ref, kind: 'instance:spawned', pid: child.pid, port: spec.port, replacing });
    }
    const streams = [this.#relay(child.stdout, 'stdout'), this.#relay(child.stderr, 'stderr')];
    void this.#watch(child, streams);
    void this.#probe();
  }

  // Graceful stop: the signal to the whole group, SIGKILL to the group after the stop timeout.
  async stop(reason: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> {
    this.#requested = true;
    this.#abort.abort();
    if (this.state !== 'stopped' && this.state !== 'crashed' && this.state !== 'done') {
      this.state = 'stopping';
      if (this.pid > 0 && signalGroup(this.pid, signal)) {
        this.#deps.bus.emit({ ...this.ref, kind: 'instance:signalled', pid: this.pid, signal, reason });
        if (
          signal !== 'SIGKILL' &&
          !(await waitGroupGone(this.pid, this.spec.stopTimeoutMs)) &&
          signalGroup(this.pid, 'SIGKILL')
        ) {
          this.#killedAfterMs = this.spec.stopTimeoutMs;
          this.#deps.bus.emit({
            ...this.ref,
            kind: 'instance:signalled',
            pid: this.pid,
            signal: 'SIGKILL',
            reason: `still running ${this.spec.stopTimeoutMs}ms after ${signal}`,
          });
        }
        // SIGKILL is not instant: the instance is stopped once the kernel has ended its whole group
        await waitGroupGone(this.pid, KILL_GRACE_MS);
      }
    }
    return this.exited;
  }

  pauseOutput(paused: boolean): void {
    for (const stream of [this.#child?.stdout, this.#child?.stderr]) {
      if (paused) stream?.pause();
      else stream?.resume();
    }
  }

  #relay(stream: Readable, name: OutputStream): Promise<void> {
    const splitter = new LineSplitter();
    const emit = (data: Buffer): void => {
      this.#tail.push(data);
      this.#deps.bus.emit({ ...this.ref, kind: 'instance:output', stream: name, data });
    };
    stream.on('data', (chunk: Buffer) => splitter.push(chunk, emit));
    return new Promise((resolve) => {
      const end = (): void => {
        splitter.flush(emit);
        resolve();
      };
      stream.once('end', end);
      stream.once('close', end);
      stream.once('error', end);
    });
  }

  /** the last lines of output, for error messages */
  get lastLines(): string[] {
    return this.#tail.lines(LAST_LINES);
  }

  async #probe(): Promise<void> {
    const { probe, readyTimeoutMs } = this.spec;
    if (probe === undefined) {
      this.#markReady();
      return;
    }
    const ok = await waitReady(probe, readyTimeoutMs, this.#abort.signal);
    if (ok && this.state === 'starting') this.#markReady();
    else if (!ok) this.#resolveReady(this.#abort.signal.aborted ? 'exited' : 'timeout');
  }

  #markReady(): void {
    this.state = 'ready';
    this.readyAt = Date.now();
    this.#deps.bus.emit({
      ...this.ref,
      kind: 'instance:ready',
      pid: this.pid,
      port: this.spec.port,
      bootMs: this.readyAt - this.startedAt,
      probed: this.spec.probe !== undefined,
    });
    this.#resolveReady('ready');
  }

  async #watch(child: Child, streams: Array<Promise<void>>): Promise<void> {
    const result = await child.exited;
    this.#abort.abort();
    this.#resolveReady('exited');
    // What the shell started may outlive it: the instance is over only when its whole group is. During a
    // requested stop, stop() owns the escalation (and reports its SIGKILL): this only waits for it.
    if (this.#requested && child.pid > 0) {
      await waitGroupGone(child.pid, this.spec.stopTimeoutMs + KILL_GRACE_MS);
    } else if (child.pid > 0 && groupAlive(child.pid)) {
      signalGroup(child.pid, 'SIGTERM');
      if (!(await waitGroupGone(child.pid, this.spec.stopTimeoutMs)) && signalGroup(child.pid, 'SIGKILL')) {
        this.#killedAfterMs = this.spec.stopTimeoutMs;
        await waitGroupGone(child.pid, KILL_GRACE_MS);
      }
    }
    // what left the group (setsid, a daemon's double fork) goes with the instance too
    await stopStrays(this.#runId, 'SIGTERM', this.spec.stopTimeoutMs);
    await Promise.race([Promise.all(streams), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    if (child.pid > 0) this.#deps.watchdog.untrackGroup(child.pid);
    try {
      rmSync(this.#tmpdir, { recursive: true, force: true });
    } catch {
      // its parent is gone or is no longer a folder: the run removes its whole temp root at the end
    }
    this.#resolveExit({ ...result, requested: this.#requested, killedAfterMs: this.#killedAfterMs });
  }
}
