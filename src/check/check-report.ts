// The check's report object (the JSON report; text and JUnit are drawn from it) and the finding of a smoke
// command that fails before anything was shuffled.
import type { RunConfig } from '../config/load.js';
import { HINTS } from '../detect/findings.js';
import type { Redactor } from '../detect/redact.js';
import { replayCommand, REPORT_VERSION, type CheckReport, type Coverage } from '../report/report.js';
import type { RequestCounts } from '../run/request-counts.js';
import type { Clock } from '../shared/clock.js';
import type { Finding } from '../shared/finding.js';

export interface ReportBase {
  input: { config: RunConfig; args: readonly string[]; tool: string };
  started: number;
  redactor: Redactor;
  clock: Clock;
}

export function buildReport(
  base: ReportBase,
  seed: number,
  requests: RequestCounts,
  r: { passed: boolean; restarts: number; coverage: Coverage | undefined },
): CheckReport {
  const { config, args, tool } = base.input;
  return {
    version: REPORT_VERSION,
    tool,
    seed,
    replay: base.redactor.text(replayCommand(args, seed)),
    formation: Object.fromEntries(config.formation),
    balance: config.options.balance ?? 'random',
    passed: r.passed,
    findings: [],
    restarts: r.restarts,
    requests,
    smoke: undefined,
    ...(r.coverage ? { coverage: r.coverage } : {}),
    durationMs: base.clock.now() - base.started,
  };
}

export function smokeFailed(config: RunConfig, shown: string, control: number): Finding {
  return {
    kind: 'smoke-failed',
    type: config.routed[0] ?? '(app)',
    instances: [],
    route: '(smoke command)',
    count: 1,
    evidence: [`${shown} exited with code ${control} against one instance with no restarts`],
    hint: HINTS['smoke-failed'],
  };
}
