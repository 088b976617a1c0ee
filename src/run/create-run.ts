// The programmatic API: a run of one formation, wired from its parts (supervisor, router pool, scheduler,
// detector, watchers) and seen through `Run`: events, controls, how it ended. Never prints, never exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { RestartScheduler } from '../chaos/restart-scheduler.js';
import type { RunConfig } from '../config/load.js';
import { Detector } from '../detect/detector.js';
import { Redactor } from '../detect/redact.js';
import { readStack } from '../detect/stack.js';
import { WriteWatch } from '../detect/write-watch.js';
import type { ExchangeSink } from '../har/exchange.js';
import { childEnv } from '../env/child-env.js';
import { planPorts } from '../env/ports.js';
import type { UserError } from '../errors.js';
import { EventBus } from '../events/bus.js';
import { createRandom } from '../random.js';
import { Balancer } from '../router/balancer.js';
import { realClock, type Clock } from '../shared/clock.js';
import type { Run } from '../shared/run-handle.js';
import { TrafficStats } from '../stats/traffic.js';
import { realProcessControl, type ProcessControl } from '../supervisor/process-control.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { UsageMonitor } from '../supervisor/usage-monitor.js';
import { Watchdog } from '../supervisor/watchdog.js';
import { runControls } from './controls.js';
import { watchLoop } from './reload.js';
import { RequestTally, type RequestCounts } from './request-counts.js';
import { resolveOptions } from './resolved-options.js';
import { RouterPool } from './router-pool.js';
import { Shutdown } from './shutdown.js';

export interface RunDeps {
  control?: ProcessControl;
  clock?: Clock;
  /** reads the Procfile and env files again (for --watch) */
  reload?: () => RunConfig;
  /** restart cadence when --restart-every is not given: 30s in start, 5s in check */
  restartEveryMs?: number;
  /** reaps what the run started if the manager dies; the real one runs watchdog.sh */
  watchdog?: RunWatchdog;
  /** samples each instance's CPU and memory this often (`instance:usage`); off when not given */
  usageEveryMs?: number;
  /** `start --record`: the routers hand every exchange here */ recorder?: ExchangeSink;
}

export type RunWatchdog = Pick<
  Watchdog,
  'trackGroup' | 'untrackGroup' | 'trackDir' | 'untrackDir' | 'trackRun' | 'close'
>;

/** what `check` reads beyond the public Run: the detector and the request counts */
export interface RunInternals {
  detector: Detector;
  requestCounts(): RequestCounts;
}

export function createRun(config: RunConfig, deps: RunDeps = {}): Run {
  return startRun(config, deps).run;
}

export function startRun(config: RunConfig, deps: RunDeps = {}): { run: Run; internals: RunInternals } {
  const events = new EventBus();
  const o = resolveOptions(config, deps.restartEveryMs);
  const clock = deps.clock ?? realClock;
  const random = createRandom(o.seed);
  const tmpRoot = mkdtempSync(join(tmpdir(), 'amnesia-'));
  const watchdog = deps.watchdog ?? new Watchdog(o.stopTimeoutMs);
  watchdog.trackDir(tmpRoot);
  watchdog.trackRun(basename(tmpRoot));
  const typePorts = new Map(
    config.entries.map((e) => [e.name, planPorts(e, config.basePort, config.routed.includes(e.name)).typePort]),
  );
  const control = deps.control ?? realProcessControl;
  const supervisor = new Supervisor(
    {
      ...{ root: config.root, entries: config.entries, procfileName: config.procfileName },
      ...{ formation: config.formation, routed: config.routed, env: childEnv(config, typePorts), typePorts },
      ...{ host: o.host, stopTimeoutMs: o.stopTimeoutMs, readyTimeoutMs: o.readyTimeoutMs },
      ...{ drainTimeoutMs: o.drainTimeoutMs, health: o.health, exitOnCrash: o.exitOnCrash, tmpRoot },
    },
    { control, clock, bus: events, watchdog },
  );
  const usage = new UsageMonitor({ control, clock, bus: events, instances: () => supervisor.instances() }, deps);
  const balancer = new Balancer(o.balance, random);
  const routers = new RouterPool(o, balancer, events, deps.recorder);
  supervisor.drainHook = routers.drainHook;
  events.subscribe(routers.follow);

  const devLoop =
    o.watch && deps.reload
      ? watchLoop(config, deps.reload, { supervisor, routers, typePorts }, events, clock)
      : undefined;
  const scheduler = new RestartScheduler(
    {
      ...{ everyMs: o.restartEveryMs, afterRequests: o.restartAfter, types: o.chaosTypes, signal: o.restartSignal },
      ...{ random, clock, onArmed: (at: number | undefined) => events.emit({ kind: 'chaos:armed', at }) },
    },
    supervisor,
  );
  const redactor = new Redactor(config.envValues, config.inherited);
  const detector = new Detector({
    ...{ mirror: o.mirror, redactor, bus: events, prober: routers.prober },
    stack: readStack(config.root),
  });
  events.subscribe(detector.handle);
  const counts = new RequestTally();
  const traffic = new TrafficStats(() => clock.now());
  events.subscribe((event) => {
    traffic.handle(event);
    if (event.kind !== 'request:done') return;
    scheduler.onRequest();
    counts.add(event);
  });

  let writeWatch: WriteWatch | undefined;
  const reapedIfKilled: string[] = [];
  const shutdown = new Shutdown(events, {
    halt: () => {
      usage.stop();
      supervisor.halt();
    },
    killAll: (reason) => supervisor.killAll(reason),
    // confirmations ask the instances themselves: let them (and the last file events) land before they go
    settle: async () => {
      scheduler.stop();
      await writeWatch?.quiet();
      await detector.settled();
    },
    stopAll: async (reason) => {
      scheduler.stop();
      await supervisor.stopAll(reason);
    },
    release: async () => {
      await detector.settled();
      await routers.closeAll();
      await writeWatch?.close();
      await devLoop?.close();
      // removed here rather than by the watchdog after we exit: a next run may already be making it again
      rmSync(tmpRoot, { recursive: true, force: true });
      for (const path of [tmpRoot, ...reapedIfKilled]) watchdog.untrackDir(path);
      watchdog.close();
    },
  });
  let failure: UserError | undefined;
  supervisor.onFatal = (outcome, reason) => {
    if (outcome.kind === 'failed') failure ??= outcome.error;
    void shutdown.end(reason, outcome);
  };

  const controls = runControls({ supervisor, scheduler, balancer, shutdown });
  const active = (type: string): boolean => (config.formation.get(type) ?? 0) > 0;
  const start = async (): Promise<void> => {
    const startedAt = clock.now();
    usage.start();
    events.emit({
      ...{ kind: 'run:starting', procfile: config.procfile, root: config.root, envFiles: config.envFiles },
      ...{ formation: [...config.formation], routed: config.routed.filter(active), seed: o.seed },
      ...{ typePorts: [...typePorts].filter(([type]) => active(type)), balance: balancer.mode },
      restartEveryMs: o.restartEveryMs,
    });
    let crashed: string[];
    try {
      for (const type of config.routed.filter(active)) await routers.open(type, typePorts.get(type) ?? 0);
      // with --watch the developer's own edits would all count as local writes
      const own = deps.recorder?.path === undefined ? [] : [deps.recorder.path];
      if (!devLoop) writeWatch = await WriteWatch.start(config.root, o.ignoreWrites, events, tmpRoot, clock, own);
      await devLoop?.start(o.watchIgnore);
      crashed = await supervisor.start();
    } catch (error) {
      await shutdown.end('start-up failed', { kind: 'failed', error: error as UserError });
      throw error;
    }
    if (failure) {
      await shutdown.finished;
      throw failure;
    }
    if (shutdown.ending) return;
    events.emit({ kind: 'run:ready', startedMs: clock.now() - startedAt, crashed });
    scheduler.start();
  };

  const run: Run = {
    events,
    controls,
    seed: o.seed,
    start,
    finished: shutdown.finished,
    urls: () => routers.urls(),
    findings: () => detector.findings(),
    traffic,
    removeIfKilled: (path) => void (reapedIfKilled.push(path), watchdog.trackDir(path)),
    get failure() {
      return failure;
    },
    redact: (text) => redactor.text(text),
  };
  return { run, internals: { detector, requestCounts: () => counts.snapshot() } };
}
