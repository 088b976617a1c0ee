// `amnesia check`: the control run (one instance per routed type, no restarts), then the shuffled run, then
// the verdict. Never prints and never picks an exit code: the CLI renders the events, the report and the
// verdict (cli/exit-codes.ts).
import type { RunConfig } from '../config/load.js';
import type { BroadcastProfile } from '../detect/broadcast.js';
import { HINTS } from '../detect/findings.js';
import { Redactor } from '../detect/redact.js';
import { formatFormation } from '../env/formation.js';
import { UserError } from '../errors.js';
import type { RunEvent } from '../events/types.js';
import type { CheckReport } from '../report/report.js';
import { startRun, type RunDeps } from '../run/create-run.js';
import { newSeed } from '../random.js';
import { realClock, type Clock } from '../shared/clock.js';
import type { Run } from '../shared/run-handle.js';
import { buildReport, smokeFailed } from './check-report.js';
import { ReplayCheck } from './replay-check.js';
import { runSmoke, type SpawnSmoke } from './smoke.js';
import { Traffic } from './traffic.js';
import { withRun } from './with-run.js';

export interface CheckInput {
  config: RunConfig;
  /** the command line, for the replay hint */
  args: readonly string[];
  tool: string;
  cwd: string;
  /** every event of both runs goes here too (the CLI's renderer) */
  listen: (event: RunEvent) => void;
}

/** passed: no failing finding · findings: at least one · control-failed: the smoke command fails on one instance */
export type CheckVerdict = 'passed' | 'findings' | 'control-failed';

export interface CheckOutcome {
  report: CheckReport;
  verdict: CheckVerdict;
}

export interface CheckDeps extends Pick<RunDeps, 'control' | 'watchdog'> {
  clock?: Clock;
  spawnSmoke?: SpawnSmoke;
}

const CHECK_RESTART_EVERY_MS = 5000;

export async function runCheck(input: CheckInput, deps: CheckDeps = {}): Promise<CheckOutcome> {
  const { cwd, listen } = input;
  // one seed for both runs: the one the control run prints is the one that replays the whole check
  const config = {
    ...input.config,
    options: { ...input.config.options, seed: input.config.options.seed ?? newSeed() },
  };
  const { options } = config;
  const command = options.run;
  checkInput(config);
  const clock = deps.clock ?? realClock;
  const runDeps = { control: deps.control, watchdog: deps.watchdog, clock };
  const started = clock.now();
  // the command line may carry a token (a curl -H, a URL with a password): reports show it redacted
  const redactor = new Redactor(config.envValues, config.inherited);
  const shown = command === undefined ? undefined : redactor.text(command);
  const smoke = (phase: 'control' | 'shuffled', run: Pick<Run, 'events' | 'urls'>) =>
    runSmoke(
      { command: command ?? '', phase, cwd, inherited: config.inherited, urls: run.urls() },
      run.events,
      clock,
      deps.spawnSmoke,
    );
  const base = { input, started, redactor, clock };
  const replay =
    options.replay === undefined ? undefined : await ReplayCheck.open(options.replay, cwd, options.replaySkip ?? []);
  try {
    return await checkRuns();
  } finally {
    await replay?.close();
  }
  async function checkRuns(): Promise<CheckOutcome> {
    const routed = config.routed[0] ?? '(app)';
    const urlOf = (run: Pick<Run, 'urls'>): string => run.urls().get(routed) ?? '';
    let control = 0;
    let learnt: BroadcastProfile | undefined;
    if (command !== undefined || replay) {
      const single = new Map(config.formation);
      for (const type of config.routed) if ((single.get(type) ?? 0) > 0) single.set(type, 1);
      const controlRun = () =>
        startRun({ ...config, formation: single, options: { ...options, restart: false, mirror: false } }, runDeps);
      const { run, internals } = controlRun();
      run.events.subscribe(listen);
      control = await withRun(run, async () => {
        const code = command === undefined ? 0 : await smoke('control', run);
        if (code === 0) await replay?.run('control A', urlOf(run), run.events, clock);
        return code;
      });
      learnt = internals.detector.broadcastProfile();
      if (replay && control === 0) {
        // a second fresh instance: what differs between two correct runs is noise, not state
        const second = controlRun().run;
        second.events.subscribe(listen);
        await withRun(second, () => replay.run('control B', urlOf(second), second.events, clock));
      }
      if (control !== 0) {
        const report = buildReport(base, run.seed, internals.requestCounts(), {
          passed: false,
          restarts: 0,
          coverage: undefined,
        });
        report.findings = [smokeFailed(config, shown ?? '', control)];
        report.smoke = { command: shown ?? '', control, shuffled: undefined };
        return { report, verdict: 'control-failed' };
      }
    }
    // the mirror is on by default here: a stale per-process cache shows only when instances are compared
    const { run, internals } = startRun(
      { ...config, options: { ...options, mirror: options.mirror ?? true } },
      { ...runDeps, restartEveryMs: CHECK_RESTART_EVERY_MS },
    );
    run.events.subscribe(listen);
    const traffic = new Traffic();
    run.events.subscribe(traffic.handle);
    let shuffled: number | undefined;
    await withRun(run, async () => {
      const until = clock.now() + (options.duration ?? 0);
      if (command !== undefined) shuffled = await smoke('shuffled', run);
      await replay?.run('shuffled', urlOf(run), run.events, clock);
      const rest = until - clock.now();
      if (rest > 0) await clock.sleep(rest);
    });
    const { detector } = internals;
    await detector.settled();
    detector.finish(learnt);
    if (command !== undefined && shuffled !== 0) {
      const formation = formatFormation(new Map([...config.formation].filter(([, n]) => n > 0)));
      detector.raise({
        kind: 'smoke-diverged',
        type: config.routed[0] ?? '(app)',
        instances: traffic.instances(),
        route: '(smoke command)',
        evidence: [
          `${shown} passed against one instance with no restarts, but exited with code ${shuffled} against ${formation} with ${options.balance ?? 'random'} balancing and restarts`,
          ...traffic.lastRequests(redactor),
        ],
        hint: HINTS['smoke-diverged'],
      });
    }
    const replayed = await replay?.verdict(routed, (text) => redactor.text(text), HINTS['replay-diverged']);
    for (const finding of replayed?.findings ?? []) detector.raise(finding);
    const findings = detector.findings();
    const passed = findings.every((f) => f.advisory);
    const coverage = traffic.coverage();
    const report = buildReport(base, run.seed, internals.requestCounts(), {
      passed,
      restarts: coverage.restarts,
      coverage,
    });
    report.findings = findings;
    if (shown !== undefined) report.smoke = { command: shown, control, shuffled };
    if (replayed) report.recording = replayed.summary;
    return { report, verdict: passed ? 'passed' : 'findings' };
  }
}

function checkInput(config: RunConfig): void {
  const command = config.options.run;
  const replay = config.options.replay;
  if (command === undefined && replay === undefined && config.options.duration === undefined) {
    throw new UserError('CHECK_NO_TRAFFIC', 'check needs traffic: a smoke command, a recording or a duration', {
      where: 'amnesia check',
      hint: 'add --run "npm run smoke" (any command; it gets AMNESIA_URL), --replay FILE.har (amnesia start --record FILE.har), or --duration 60s while traffic comes from elsewhere',
    });
  }
  const drives = command !== undefined || replay !== undefined;
  if (config.routed.filter((type) => (config.formation.get(type) ?? 0) > 0).length === 0 && drives) {
    throw new UserError(
      'CHECK_NO_ROUTE',
      'no routed type runs, so the smoke command or the replay has nothing to talk to',
      {
        where: '--route',
        hint: `name the type that serves HTTP with --route (the Procfile defines: ${config.entries.map((e) => e.name).join(', ')})`,
      },
    );
  }
}
