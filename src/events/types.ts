// The typed event union: the contract between the core and every renderer, store and report.
import type { Finding } from '../shared/finding.js';
import type { RunOutcome } from '../shared/run-outcome.js';

/**
 * starting: spawned, not yet accepting connections (routed types) ·
 * ready: running (and, for routed types, accepting connections) ·
 * draining: no new requests, in-flight ones finishing ·
 * stopping: signalled, waiting for the process group to end ·
 * stopped: ended because amnesia stopped it ·
 * crashed: ended on its own with a failure (or exit 0 of a routed type) ·
 * done: a non-routed type that exited 0 (a release or one-off task)
 */
export type InstanceState = 'starting' | 'ready' | 'draining' | 'stopping' | 'stopped' | 'crashed' | 'done';

export type OutputStream = 'stdout' | 'stderr';

/** control: one instance per routed type, no restarts; shuffled: the formation, balanced and restarted */
export type SmokePhase = 'control' | 'shuffled';
/** `check --replay`'s three runs: two single fresh instances (the second teaches the noise), then the formation */
export type ReplayPhase = 'control A' | 'control B' | 'shuffled';

export interface InstanceRef {
  /** `web.1`; a replacement keeps the name of the instance it replaces */
  name: string;
  type: string;
  /** unique per spawned process in this run */
  uid: number;
}

export type RunEvent =
  | {
      kind: 'run:starting';
      procfile: string;
      root: string;
      envFiles: string[];
      formation: Array<[type: string, count: number]>;
      routed: string[];
      /** the port each type owns (its router's port for routed types) */
      typePorts: Array<[type: string, port: number]>;
      /** the seed of every random choice in this run (`--seed` replays it) */
      seed: number;
      balance: string;
      /** ms between scheduled restarts; undefined: none */
      restartEveryMs: number | undefined;
    }
  | { kind: 'router:listening'; type: string; url: string }
  | {
      kind: 'request:done';
      type: string;
      /** the instance that answered (undefined: none could) */
      instance: InstanceRef | undefined;
      client: string;
      method: string;
      path: string;
      /** 101 for a WebSocket upgrade that was accepted */
      status: number;
      durationMs: number;
      /** the client's previous request went to another instance */
      hop: boolean;
      /** the client's previous instance has been restarted or stopped since */
      afterRestart: boolean;
      /** an attempt failed and the request was sent again */
      retried: boolean;
      /** why the router answered 502/503 itself, or why the response broke off */
      error: string | undefined;
      /** the session-like cookies the request carried, and whether it had an Authorization header */
      sessionCookies: Array<[name: string, value: string]>;
      authorization: boolean;
      /** cookies the response set, as name and value */
      setCookies: Array<[name: string, value: string]>;
      location: string | undefined;
      contentType: string | undefined;
      /** the start of a text-like response body (ids, sids and error messages are read from it) */
      bodySample: Buffer | undefined;
      /** for GET and HEAD: the request headers, so the detector can ask another instance the same thing */
      replayHeaders: Record<string, string | string[]> | undefined;
    }
  | (InstanceRef & { kind: 'instance:draining'; inFlight: number })
  | (InstanceRef & { kind: 'restart:started'; reason: string; signal: string })
  | (InstanceRef & { kind: 'restart:finished'; ok: boolean; durationMs: number; detail: string })
  | { kind: 'finding:raised'; finding: Finding }
  | { kind: 'watch:changed'; files: string[]; types: string[] }
  | { kind: 'watch:reloaded'; file: string; added: string[]; removed: string[]; changed: string[]; envChanged: boolean }
  | { kind: 'watch:invalid'; file: string; errors: string[] }
  | { kind: 'smoke:started'; phase: SmokePhase; command: string; url: string }
  | { kind: 'smoke:output'; phase: SmokePhase; data: Buffer }
  | { kind: 'smoke:finished'; phase: SmokePhase; exitCode: number; durationMs: number }
  | { kind: 'replay:started'; phase: ReplayPhase; file: string; requests: number; clients: number; url: string }
  | { kind: 'replay:finished'; phase: ReplayPhase; durationMs: number }
  /** a file under the app root; `gitignored`: the app's .gitignore names it (logs, caches, local databases) */
  | { kind: 'file:written'; path: string; change: 'added' | 'changed' | 'removed'; gitignored: boolean }
  /** a file in one instance's private TMPDIR (the path relative to it) */
  | { kind: 'tmp:written'; instance: InstanceRef; path: string; change: 'added' | 'changed' | 'removed' }
  /** a WebSocket connection opened or closed, or one message through it: `in` from the client, `out` to it */
  | {
      kind: 'ws:message';
      type: string;
      instance: InstanceRef;
      connection: number;
      path: string;
      direction: 'in' | 'out' | 'open' | 'close';
    }
  /** `crashed`: instances that exited during start-up (restarting with backoff, unless crash looping) */
  | { kind: 'run:ready'; startedMs: number; crashed: string[] }
  | { kind: 'run:signal'; signal: string; action: 'stop' | 'kill' | 'rolling-restart' }
  | { kind: 'run:stopping'; reason: string }
  | { kind: 'run:stopped'; outcome: RunOutcome }
  /** the next scheduled restart is due at this time (epoch ms); undefined: none is scheduled */
  | { kind: 'chaos:armed'; at: number | undefined }
  | { kind: 'run:warning'; message: string }
  | (InstanceRef & { kind: 'instance:spawned'; pid: number; port: number | undefined; replacing: boolean })
  | (InstanceRef & { kind: 'instance:ready'; pid: number; port: number | undefined; bootMs: number; probed: boolean })
  | (InstanceRef & { kind: 'instance:output'; stream: OutputStream; data: Buffer })
  | (InstanceRef & { kind: 'instance:signalled'; pid: number; signal: NodeJS.Signals; reason: string })
  | (InstanceRef & {
      kind: 'instance:exited';
      pid: number;
      code: number | null;
      signal: string | null;
      /** the state the instance ended in */
      state: 'stopped' | 'crashed' | 'done';
      /** when a crash is retried */
      restartInMs: number | undefined;
      /** amnesia SIGKILLed the group this long after asking it to stop (the child's own code or signal is then not what ended it) */
      killedAfterMs: number | undefined;
    })
  /** CPU (percent of one core since the previous sample; undefined on a process's first) and resident memory
   *  (bytes) of each live instance's process group, sampled about once a second while someone looks */
  | { kind: 'instance:usage'; samples: Array<InstanceRef & { cpu: number | undefined; rss: number }> }
  | { kind: 'type:crash-looping'; type: string; crashes: number; windowMs: number; lastLines: string[] };

export type RunEventKind = RunEvent['kind'];

export type EventOf<K extends RunEventKind> = Extract<RunEvent, { kind: K }>;
