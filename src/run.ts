import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { RestartScheduler } from './chaos/restart-scheduler.js';
import { Detector } from './detect/detector.js';
import { Redactor } from './detect/redact.js';
import { readStack } from './detect/stack.js';
import { WriteWatch } from './detect/write-watch.js';
import type { RunConfig } from './config/load.js';
import type { UserError } from './errors.js';
import { EventBus } from './events/bus.js';
import { childEnv, freeTypePort } from './env/child-env.js';
import { planPorts } from './env/ports.js';
import { createRandom, newSeed } from './random.js';
import { Balancer } from './router/balancer.js';
import type { BalanceMode } from './shared/balance-modes.js';
import { DevLoop } from './watch/dev-loop.js';
import type { Router } from './router/router.js';
import type { ProcessControl } from './supervisor/process-control.js';
import type { Clock } from './shared/clock.js';
import { Supervisor } from './supervisor/supervisor.js';
import { Watchdog } from './supervisor/watchdog.js';

export interface RunControls {
  /** graceful restart of one instance (surge, drain, stop) */
  restart(name: string): Promise<void>;
  rollingRestart(): Promise<void>;
  /** SIGKILL one instance: a crash on purpose */
  killInstance(name: string): Promise<void>;
  /** pause or resume the scheduled restarts */
  pauseRestarts(paused: boolean): void;
  setBalance(mode: BalanceMode): void;
  /** live scaling by a delta (+1, -1); ports and the router pool follow */
  scale(type: string, delta: number): Promise<void>;
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
  routers: ReadonlyMap<string, Router>;
  scheduler: RestartScheduler;
  detector: Detector;
  /** routed requests so far, by status and by instance */
  requestCounts(): {
    total: number;
    byStatus: Record<string, number>;
    byInstance: Record<string, Record<string, number>>;
  };
  seed: number;
  /** starts the formation; rejects with a UserError (and leaves nothing running) if start-up fails */
  start(): Promise<void>;
  /** the run's exit code, once everything has stopped */
  finished: Promise<number>;
  /** the user error that ended the run, if one did (e.g. a command not found) */
  readonly failure: UserError | undefined;
  /** takes the run's secrets out of a text before it is shown or written (every renderer and report uses it) */
  redact(text: string): string;
}

export interface RunDeps {
  control?: ProcessControl;
  clock?: Clock;
  /** reads the Procfile and env files again (for --watch) */
  reload?: () => RunConfig;
  /** restart cadence when --restart-every is not given: 30s in start, 5s in check */
  restartEveryMs?: number;
}

// The programmatic API: a run of one formation, its events and its controls. Never prints, never exits.
export function createRun(config: RunConfig, deps: RunDeps = {}): Run {
  const events = new EventBus();
  const { options } = config;
  const defaults = { restartEveryMs: deps.restartEveryMs ?? 30_000 };
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? newSeed();
  const random = createRandom(seed);
  const tmpRoot = mkdtempSync(join(tmpdir(), 'amnesia-'));
  const stopTimeoutMs = options.timeout ?? 5000;
  const watchdog = new Watchdog(stopTimeoutMs);
  watchdog.trackDir(tmpRoot);
  watchdog.trackRun(basename(tmpRoot));
  const typePorts = new Map(
    config.entries.map((entry) => [
      entry.name,
      planPorts(entry, config.basePort, config.routed.includes(entry.name)).typePort,
    ]),
  );
  const env = childEnv(config, typePorts);
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
      readyTimeoutMs: options.readyTimeout ?? 30_000,
      drainTimeoutMs: options.drainTimeout ?? 10_000,
      health: options.health,
      exitOnCrash: options.exitOnCrash ?? false,
      tmpRoot,
    },
    { control: deps.control, clock: deps.clock, bus: events, watchdog },
  );

  const active = (type: string): boolean => (config.formation.get(type) ?? 0) > 0;
  const balancer = new Balancer((options.balance ?? 'random') as BalanceMode, random);
  const routers = new Map<string, Router>();
  // the router (and undici) is loaded only when a routed type runs: a worker-only Procfile starts faster
  const openRouter = async (type: string, port: number): Promise<void> => {
    const { Router } = await import('./router/router.js');
    const router = new Router({
      type,
      host,
      port,
      readyTimeoutMs: options.readyTimeout ?? 30_000,
      instanceHeader: options.instanceHeader ?? true,
      upstreamTimeoutMs: options.upstreamTimeout ?? 60_000,
      socketIdleTimeoutMs: options.socketIdleTimeout ?? 600_000,
      balancer,
      bus: events,
    });
    routers.set(type, router);
    await router.listen();
  };
  let current = config;
  const devLoop =
    options.watch && deps.reload
      ? new DevLoop(
          {
            config: () => current,
            types: () => supervisor.types(),
            restartTypes: (types, reason) => supervisor.restartTypes(types, reason),
            apply: async (next, plan, envChanged) => {
              for (const { type } of plan.added) typePorts.set(type, freeTypePort(next, type, typePorts));
              supervisor.update(next.entries, childEnv(next, typePorts), next.routed);
              for (const type of plan.removed) {
                await supervisor.removeType(type, 'removed from the Procfile');
                await routers.get(type)?.close();
                routers.delete(type);
              }
              for (const { type, count } of plan.added) {
                const port = typePorts.get(type) ?? 0;
                if (next.routed.includes(type)) await openRouter(type, port);
                await supervisor.addType(type, count, port);
              }
              const added = plan.added.map((a) => a.type);
              const restart = envChanged ? supervisor.types().filter((t) => !added.includes(t)) : plan.changed;
              current = next;
              if (restart.length > 0)
                await supervisor.restartTypes(restart, envChanged ? 'env changed' : 'command changed');
            },
          },
          deps.reload,
          events,
        )
      : undefined;
  supervisor.drainHook = {
    drain: (instance) => routers.get(instance.spec.type)?.drain(instance.spec.uid) ?? Promise.resolve(),
    inFlight: (instance) => routers.get(instance.spec.type)?.inFlight(instance.spec.uid) ?? 0,
  };
  const restartSignal = `SIG${options.restartSignal ?? 'TERM'}` as NodeJS.Signals;
  const chaosTypes = options.chaos ?? config.routed;
  const restartEveryMs =
    options.restart === false ? undefined : (options.restartEvery ?? defaults.restartEveryMs) || undefined;
  const scheduler = new RestartScheduler(
    {
      everyMs: restartEveryMs,
      afterRequests: options.restart === false ? undefined : options.restartAfter,
      types: chaosTypes,
      signal: restartSignal,
      random,
    },
    supervisor,
  );
  const redactor = new Redactor(config.envValues, config.inherited);
  const detector = new Detector({
    mirror: options.mirror ?? false,
    redactor,
    bus: events,
    prober: {
      probe: (type, uid, method, path, headers) =>
        routers.get(type)?.probe(uid, method, path, headers) ?? Promise.resolve(undefined),
      alive: (type, uid) => routers.get(type)?.alive(uid) ?? false,
      others: (type, uid) => routers.get(type)?.others(uid) ?? [],
    },
    stack: readStack(config.root),
  });
  events.subscribe(detector.handle);
  let writeWatch: WriteWatch | undefined;
  const counts = {
    total: 0,
    byStatus: {} as Record<string, number>,
    byInstance: {} as Record<string, Record<string, number>>,
  };
  events.subscribe((event) => {
    if (event.kind === 'instance:ready' && event.port !== undefined) routers.get(event.type)?.add(event, event.port);
    else if (event.kind === 'instance:exited') routers.get(event.type)?.remove(event.uid);
    else if (event.kind === 'type:crash-looping')
      routers
        .get(event.type)
        ?.crashLooping(`${event.crashes} crashes within ${event.windowMs / 1000}s`, event.lastLines);
    else if (event.kind === 'request:done') {
      scheduler.onRequest();
      const status = String(event.status);
      counts.total++;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      const who = event.instance?.name ?? '(router)';
      const mine = (counts.byInstance[who] ??= {});
      mine[status] = (mine[status] ?? 0) + 1;
    }
  });

  let resolveFinished!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (resolveFinished = resolve));
  let ending: Promise<number> | undefined;
  let exitCode = 0;
  const end = (reason: string, code: number, hard: boolean): Promise<number> => {
    // a kill is exit 130 whether it came first or cut a graceful stop short (Ctrl-C twice); a failure's
    // own code stays
    if (exitCode === 0) exitCode = hard ? 130 : code;
    if (ending) {
      if (hard) supervisor.killAll(reason);
      return ending;
    }
    supervisor.halt();
    ending = (async () => {
      events.emit({ kind: 'run:stopping', reason });
      scheduler.stop();
      if (hard) supervisor.killAll(reason);
      // confirmations ask the instances themselves: let them (and the last file events) land before the
      // instances go
      else {
        await writeWatch?.quiet();
        await detector.settled();
      }
      await supervisor.stopAll(reason);
      await detector.settled();
      await Promise.all([...routers.values()].map((router) => router.close()));
      await writeWatch?.close();
      await devLoop?.close();
      rmSync(tmpRoot, { recursive: true, force: true });
      watchdog.untrackDir(tmpRoot);
      watchdog.close();
      events.emit({ kind: 'run:stopped', exitCode });
      resolveFinished(exitCode);
      return exitCode;
    })();
    return ending;
  };
  let failure: UserError | undefined;
  supervisor.onFatal = (code, reason, error) => {
    failure ??= error;
    void end(reason, code, false);
  };

  const controls: RunControls = {
    restart: (name) => supervisor.restart(name, 'restart requested'),
    rollingRestart: () => supervisor.rollingRestart(),
    killInstance: (name) => supervisor.restart(name, 'killed on request', 'SIGKILL'),
    pauseRestarts: (paused) => scheduler.setPaused(paused),
    setBalance: (mode) => {
      balancer.mode = mode;
    },
    scale: (type, delta) => supervisor.scale(type, Math.max(0, supervisor.count(type) + delta)),
    pauseOutput: (paused) => supervisor.pauseOutput(paused),
    stop: (reason, exitCode = 0) => end(reason, exitCode, false),
    kill: (reason) => end(reason, 130, true),
  };

  return {
    events,
    controls,
    supervisor,
    routers,
    scheduler,
    detector,
    requestCounts: () => counts,
    redact: (text) => redactor.text(text),
    seed,
    finished,
    get failure() {
      return failure;
    },
    async start() {
      const startedAt = Date.now();
      let crashed: string[];
      events.emit({
        kind: 'run:starting',
        procfile: config.procfile,
        root: config.root,
        envFiles: config.envFiles,
        formation: [...config.formation],
        routed: config.routed.filter(active),
        typePorts: [...typePorts].filter(([type]) => active(type)),
        seed,
        balance: balancer.mode,
        restartEveryMs,
      });
      try {
        for (const type of config.routed.filter(active)) await openRouter(type, typePorts.get(type) ?? 0);
        // with --watch the developer's own edits would all count as local writes
        if (!devLoop) writeWatch = await WriteWatch.start(config.root, options.ignoreWrites ?? [], events, tmpRoot);
        await devLoop?.start(options.watchIgnore ?? []);
        crashed = await supervisor.start();
      } catch (error) {
        await end('start-up failed', 2, false);
        throw error;
      }
      if (failure) {
        await ending;
        throw failure;
      }
      if (!ending) {
        events.emit({ kind: 'run:ready', startedMs: Date.now() - startedAt, crashed });
        scheduler.start();
      }
    },
  };
}
