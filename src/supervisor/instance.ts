// One process of a type: spawns it in its own group, relays its output, probes readiness, stops its whole
// group (and what left it). Processes and time come from the injected ProcessControl and Clock.
import { basename, join } from 'node:path';

import type { InstanceRef, InstanceState } from '../events/types.js';
import { within } from '../shared/clock.js';
import { instanceEnv } from './instance-env.js';
import {
  TMPDIR_FAILED,
  type ExitInfo,
  type InstanceDeps,
  type InstanceSpec,
  type ReadyResult,
} from './instance-types.js';
import { KILL_GRACE_MS, stopGroup } from './group-stop.js';
import { relayOutput } from './output-relay.js';
import { OutputTail } from './output-tail.js';
import { waitGroupGone } from './process-control.js';
import { waitReady } from './readiness.js';
import { exitedAtOnce, type Child } from './spawn.js';

const LAST_LINES = 20;
const TAIL_BYTES = 16 * 1024;
/** output still buffered in the pipes after the group is gone gets this long to arrive */
const OUTPUT_GRACE_MS = 1000;

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

  /** the last lines of output, for error messages */
  get lastLines(): string[] {
    return this.#tail.lines(LAST_LINES);
  }

  start(replacing = false): void {
    const { spec } = this;
    const { control, bus, watchdog } = this.#deps;
    let failed: string | undefined;
    try {
      control.makeDir(this.#tmpdir);
    } catch (error) {
      failed = `${TMPDIR_FAILED} (${(error as Error).message})`;
    }
    const child =
      failed === undefined
        ? control.spawn({ command: spec.command, cwd: spec.cwd, env: instanceEnv(spec, this.#runId, this.#tmpdir) })
        : exitedAtOnce(failed);
    this.#child = child;
    this.pid = child.pid;
    this.startedAt = this.#deps.clock.now();
    // a spawn that failed at once has no process to show: its exit says why
    if (child.pid > 0) {
      watchdog.trackGroup(child.pid);
      bus.emit({ ...this.ref, kind: 'instance:spawned', pid: child.pid, port: spec.port, replacing });
    }
    const streams = [
      relayOutput(child.stdout, 'stdout', this.ref, bus, this.#tail),
      relayOutput(child.stderr, 'stderr', this.ref, bus, this.#tail),
    ];
    void this.#watch(child, streams);
    void this.#probe();
  }

  // Graceful stop: the signal to the whole group, SIGKILL to the group after the stop timeout.
  async stop(reason: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> {
    this.#requested = true;
    this.#abort.abort();
    if (this.state !== 'stopped' && this.state !== 'crashed' && this.state !== 'done') {
      this.state = 'stopping';
      const { control, clock, bus } = this.#deps;
      const timeoutMs = this.spec.stopTimeoutMs;
      // the SIGKILL is known before the group is gone: the exit that follows must carry it
      await stopGroup(control, clock, this.pid, signal, timeoutMs, (sent) => {
        if (sent !== signal) this.#killedAfterMs = timeoutMs;
        const why = sent === signal ? reason : `still running ${timeoutMs}ms after ${signal}`;
        bus.emit({ ...this.ref, kind: 'instance:signalled', pid: this.pid, signal: sent, reason: why });
      });
    }
    return this.exited;
  }

  pauseOutput(paused: boolean): void {
    for (const stream of [this.#child?.stdout, this.#child?.stderr]) {
      if (paused) stream?.pause();
      else stream?.resume();
    }
  }

  async #probe(): Promise<void> {
    const { probe, readyTimeoutMs } = this.spec;
    if (probe === undefined) {
      this.#markReady();
      return;
    }
    const ok = await waitReady(probe, readyTimeoutMs, this.#abort.signal, this.#deps.clock);
    if (ok && this.state === 'starting') this.#markReady();
    else if (!ok) this.#resolveReady(this.#abort.signal.aborted ? 'exited' : 'timeout');
  }

  #markReady(): void {
    this.state = 'ready';
    this.readyAt = this.#deps.clock.now();
    const bootMs = this.readyAt - this.startedAt;
    this.#deps.bus.emit({
      ...this.ref,
      kind: 'instance:ready',
      pid: this.pid,
      port: this.spec.port,
      bootMs,
      probed: this.spec.probe !== undefined,
    });
    this.#resolveReady('ready');
  }

  async #watch(child: Child, streams: Array<Promise<void>>): Promise<void> {
    const { control, clock, watchdog } = this.#deps;
    const result = await child.exited;
    this.#abort.abort();
    this.#resolveReady('exited');
    // What the shell started may outlive it: the instance is over only when its whole group is. During a
    // requested stop, stop() owns the escalation (and reports its SIGKILL): this only waits for it.
    const timeoutMs = this.spec.stopTimeoutMs;
    if (this.#requested && child.pid > 0) await waitGroupGone(control, clock, child.pid, timeoutMs + KILL_GRACE_MS);
    else if (child.pid > 0 && control.groupAlive(child.pid)) {
      this.#killedAfterMs = (await stopGroup(control, clock, child.pid, 'SIGTERM', timeoutMs)).killedAfterMs;
    }
    // what left the group (setsid, a daemon's double fork) goes with the instance too
    await control.stopStrays(this.#runId, 'SIGTERM', timeoutMs);
    await within(clock, OUTPUT_GRACE_MS, Promise.all(streams));
    if (child.pid > 0) watchdog.untrackGroup(child.pid);
    try {
      control.removeDir(this.#tmpdir);
    } catch {
      // its parent is gone or is no longer a folder: the run removes its whole temp root at the end
    }
    this.#resolveExit({ ...result, requested: this.#requested, killedAfterMs: this.#killedAfterMs });
  }
}
