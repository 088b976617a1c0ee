import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RunConfig } from './config/load.js';
import type { UserError } from './errors.js';
import { EventBus } from './events/bus.js';
import { planPorts } from './env/ports.js';
import { spawnShell, type Spawn } from './supervisor/spawn.js';
import { Supervisor } from './supervisor/supervisor.js';
import { Watchdog } from './supervisor/watchdog.js';

export interface RunControls {
  restart(name: string): Promise<void>;
  rollingRestart(): Promise<void>;
  /** stop reading children's output while a renderer cannot keep up */
  pauseOutput(paused: boolean): void;
  /** graceful stop of everything */
  stop(reason: string, exitCode?: number): Promise<number>;
  /** SIGKILL to every process group at once */
  kill(reason: string): Promise<number>;
}

export interface Run {
  events: EventBus;
  controls: RunControls;
  supervisor: Supervisor;
  /** starts the formation; rejects with a UserError (and leaves nothing running) if start-up fails */
  start(): Promise<void>;
  /** the run's exit code, once everything has stopped */
  finished: Promise<number>;
  /** the user error that ended the run, if one did (e.g. a command not found) */
  readonly failure: UserError | undefined;
}

export interface RunDeps {
  spawn?: Spawn;
  host?: string;
}

// The programmatic API: a run of one formation, its events and its controls. Never prints, never exits.
export function createRun(config: RunConfig, deps: RunDeps = {}): Run {
  const events = new EventBus();
  const host = deps.host ?? '127.0.0.1';
  const tmpRoot = mkdtempSync(join(tmpdir(), 'amnesia-'));
  const stopTimeoutMs = config.options.timeout ?? 5000;
  const watchdog = new Watchdog(stopTimeoutMs);
  watchdog.trackDir(tmpRoot);
  const typePorts = new Map(config.entries.map((entry) => [entry.name, planPorts(entry, config.basePort, config.routed.includes(entry.name)).typePort]));
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1' };
  for (const [key, value] of Object.entries(config.inherited)) if (value !== undefined) env[key] = value;
  Object.assign(env, config.envValues);
  const supervisor = new Supervisor(
    {
      root: config.root,
      entries: config.entries,
      procfileName: config.procfileName,
      formation: config.formation,
      routed: config.routed,
      env,
      typePorts,
      host,
      stopTimeoutMs,
      readyTimeoutMs: config.options.readyTimeout ?? 30_000,
      health: config.options.health,
      exitOnCrash: config.options.exitOnCrash ?? false,
      tmpRoot,
    },
    { spawn: deps.spawn ?? spawnShell, bus: events, watchdog },
  );

  let resolveFinished!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (resolveFinished = resolve));
  let ending: Promise<number> | undefined;
  const end = (reason: string, exitCode: number, hard: boolean): Promise<number> => {
    ending ??= (async () => {
      events.emit({ kind: 'run:stopping', reason });
      if (hard) supervisor.killAll(reason);
      await supervisor.stopAll(reason);
      rmSync(tmpRoot, { recursive: true, force: true });
      watchdog.untrackDir(tmpRoot);
      watchdog.close();
      events.emit({ kind: 'run:stopped', exitCode });
      resolveFinished(exitCode);
      return exitCode;
    })();
    if (hard) supervisor.killAll(reason);
    return ending;
  };
  let failure: UserError | undefined;
  supervisor.onFatal = (code, reason, error) => {
    failure ??= error;
    void end(reason, code, false);
  };

  const controls: RunControls = {
    restart: (name) => supervisor.restart(name),
    rollingRestart: () => supervisor.rollingRestart(),
    pauseOutput: (paused) => supervisor.pauseOutput(paused),
    stop: (reason, exitCode = 0) => end(reason, exitCode, false),
    kill: (reason) => end(reason, 130, true),
  };

  return {
    events,
    controls,
    supervisor,
    finished,
    get failure() {
      return failure;
    },
    async start() {
      const startedAt = Date.now();
      events.emit({
        kind: 'run:starting',
        procfile: config.procfile,
        root: config.root,
        envFiles: config.envFiles,
        formation: [...config.formation],
        routed: config.routed.filter((type) => (config.formation.get(type) ?? 0) > 0),
        typePorts: [...typePorts].filter(([type]) => (config.formation.get(type) ?? 0) > 0),
      });
      try {
        await supervisor.start();
      } catch (error) {
        await end('start-up failed', 2, false);
        throw error;
      }
      if (failure) {
        await ending;
        throw failure;
      }
      if (!ending) events.emit({ kind: 'run:ready', startedMs: Date.now() - startedAt });
    },
  };
}
