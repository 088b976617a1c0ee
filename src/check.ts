import type { RunConfig } from './config/load.js';
import type { BroadcastProfile } from './detect/broadcast.js';
import { HINTS } from './detect/findings.js';
import { Redactor } from './detect/redact.js';
import { Traffic } from './check-traffic.js';
import { formatFormation } from './env/formation.js';
import { UserError } from './errors.js';
import type { EventBus } from './events/bus.js';
import type { RunEvent, SmokePhase } from './events/types.js';
import { replayCommand, REPORT_VERSION, type CheckReport, type Coverage } from './report/report.js';
import { createRun, type Run } from './run.js';
import { spawnSmoke } from './supervisor/spawn.js';

export interface CheckInput {
  config: RunConfig;
  /** the command line, for the replay hint */
  args: readonly string[];
  tool: string;
  cwd: string;
  /** every event of both runs goes here too (the CLI's renderer) */
  listen: (event: RunEvent) => void;
}

export interface CheckOutcome {
  report: CheckReport;
  exitCode: number;
}

const CHECK_RESTART_EVERY_MS = 5000;

// `amnesia check`: the control run (one instance per routed type, no restarts), then the shuffled run,
// then the verdict. Never prints; the CLI renders the events and the report.
export async function runCheck({ config, args, tool, cwd, listen }: CheckInput): Promise<CheckOutcome> {
  const { options } = config;
  const command = options.run;
  if (command === undefined && options.duration === undefined) {
    throw new UserError('CHECK_NO_TRAFFIC', 'check needs traffic: a smoke command or a duration', {
      where: 'amnesia check',
      hint: 'add --run "npm run smoke" (any command; it gets AMNESIA_URL), or --duration 60s while traffic comes from elsewhere',
    });
  }
  if (config.routed.filter((type) => (config.formation.get(type) ?? 0) > 0).length === 0 && command !== undefined) {
    throw new UserError('CHECK_NO_ROUTE', 'no routed type runs, so the smoke command has nothing to talk to', {
      where: '--route',
      hint: `name the type that serves HTTP with --route (the Procfile defines: ${config.entries.map((e) => e.name).join(', ')})`,
    });
  }
  const started = Date.now();
  // the command line may carry a token (a curl -H, a URL with a password): reports show it redacted
  const redactor = new Redactor(config.envValues, config.inherited);
  const shown = command === undefined ? undefined : redactor.text(command);
  let control = 0;
  let learnt: BroadcastProfile | undefined;
  if (command !== undefined) {
    const single = new Map(config.formation);
    for (const type of config.routed) if ((single.get(type) ?? 0) > 0) single.set(type, 1);
    const run = createRun({ ...config, formation: single, options: { ...options, restart: false, mirror: false } });
    run.events.subscribe(listen);
    control = await withRun(run, () => smoke(run, command, 'control', cwd, config.inherited));
    learnt = run.detector.broadcastProfile();
    if (control !== 0) {
      const report = buildReport(run, {
        config,
        args,
        tool,
        started,
        passed: false,
        restarts: 0,
        coverage: undefined,
        redactor,
      });
      report.findings = [
        {
          kind: 'smoke-failed',
          type: config.routed[0] ?? '(app)',
          instances: [],
          route: '(smoke command)',
          count: 1,
          evidence: [`${shown} exited with code ${control} against one instance with no restarts`],
          hint: HINTS['smoke-failed'],
        },
      ];
      report.smoke = { command: shown ?? '', control, shuffled: undefined };
      return { report, exitCode: 2 };
    }
  }
  // the mirror is on by default here: a stale per-process cache shows only when instances are compared
  const run = createRun(
    { ...config, options: { ...options, mirror: options.mirror ?? true } },
    { restartEveryMs: CHECK_RESTART_EVERY_MS },
  );
  run.events.subscribe(listen);
  const traffic = new Traffic();
  run.events.subscribe(traffic.handle);
  let shuffled: number | undefined;
  await withRun(run, async () => {
    const until = Date.now() + (options.duration ?? 0);
    if (command !== undefined) shuffled = await smoke(run, command, 'shuffled', cwd, config.inherited);
    const rest = until - Date.now();
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    return 0;
  });
  await run.detector.settled();
  run.detector.finish(learnt);
  if (command !== undefined && shuffled !== 0) {
    run.detector.raise({
      kind: 'smoke-diverged',
      type: config.routed[0] ?? '(app)',
      instances: traffic.instances(),
      route: '(smoke command)',
      evidence: [
        `${shown} passed against one instance with no restarts, but exited with code ${shuffled} against ${formatFormation(new Map([...config.formation].filter(([, n]) => n > 0)))} with ${config.options.balance ?? 'random'} balancing and restarts`,
        ...traffic.lastRequests(redactor),
      ],
      hint: HINTS['smoke-diverged'],
    });
  }
  const findings = run.detector.findings();
  const failing = findings.filter((f) => !f.advisory);
  const coverage = traffic.coverage();
  const report = buildReport(run, {
    config,
    args,
    tool,
    started,
    passed: failing.length === 0,
    restarts: coverage.restarts,
    coverage,
    redactor,
  });
  report.findings = findings;
  if (shown !== undefined) report.smoke = { command: shown, control, shuffled };
  return { report, exitCode: failing.length === 0 ? 0 : 1 };
}

// Starts a run, does the work, stops the run (whatever happened), and returns the work's result.
async function withRun<T>(run: Run, work: () => Promise<T>): Promise<T> {
  await run.start();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await run.controls.stop('check finished');
    throw run.failure ?? error;
  }
  await run.controls.stop('check finished');
  if (run.failure) throw run.failure;
  return result;
}

function smoke(
  run: Run,
  command: string,
  phase: SmokePhase,
  cwd: string,
  inherited: Record<string, string | undefined>,
): Promise<number> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited)) if (value !== undefined) env[key] = value;
  let first: string | undefined;
  for (const [type, router] of run.routers) {
    env[`AMNESIA_URL_${type.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = router.url;
    first ??= router.url;
  }
  if (first) env['AMNESIA_URL'] = first;
  const bus: EventBus = run.events;
  const started = Date.now();
  bus.emit({ kind: 'smoke:started', phase, command, url: first ?? '' });
  const child = spawnSmoke(command, { cwd, env, onOutput: (data) => bus.emit({ kind: 'smoke:output', phase, data }) });
  return child.exited.then((exitCode) => {
    bus.emit({ kind: 'smoke:finished', phase, exitCode, durationMs: Date.now() - started });
    return exitCode;
  });
}

function buildReport(
  run: Run,
  r: {
    config: RunConfig;
    args: readonly string[];
    tool: string;
    started: number;
    passed: boolean;
    restarts: number;
    coverage: Coverage | undefined;
    redactor: Redactor;
  },
): CheckReport {
  return {
    version: REPORT_VERSION,
    tool: r.tool,
    seed: run.seed,
    replay: r.redactor.text(replayCommand(r.args, run.seed)),
    formation: Object.fromEntries(r.config.formation),
    balance: r.config.options.balance ?? 'random',
    passed: r.passed,
    findings: [],
    restarts: r.restarts,
    requests: run.requestCounts(),
    smoke: undefined,
    ...(r.coverage ? { coverage: r.coverage } : {}),
    durationMs: Date.now() - r.started,
  };
}
