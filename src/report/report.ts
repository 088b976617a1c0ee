import type { Finding } from '../shared/finding.js';
import type { Percentiles } from '../stats/histogram.js';
import { shellWord } from '../shared/shell-quote.js';

export const REPORT_VERSION = 1;

export interface SmokeVerdict {
  command: string;
  /** exit code against one instance with no restarts */
  control: number;
  /** exit code against the shuffled formation; undefined when the control failed and it did not run */
  shuffled: number | undefined;
}

/** how much of the shuffling the shuffled run's traffic met: a pass without hops or restarts proves little */
export interface Coverage {
  hops: number;
  afterRestart: number;
  restarts: number;
  /** what the run did not exercise, and what to change so it does */
  warnings: string[];
}

/** what `amnesia check` found; the JSON report is this object (schema: schema/report.schema.json) */
export interface CheckReport {
  version: number;
  tool: string;
  seed: number;
  /** one command line that replays this run */
  replay: string;
  formation: Record<string, number>;
  balance: string;
  passed: boolean;
  findings: Finding[];
  restarts: number;
  requests: {
    total: number;
    byStatus: Record<string, number>;
    byInstance: Record<string, Record<string, number>>;
    /** per instance that answered: latency percentiles (ms) over the run */
    latencyMs: Record<string, Percentiles>;
  };
  smoke: SmokeVerdict | undefined;
  /** check --replay: what the HAR held and what was replayed */
  recording?: RecordingSummary;
  coverage?: Coverage;
  durationMs: number;
}

export interface RecordingSummary {
  file: string;
  requests: number;
  clients: number;
  skipped: { otherHosts: number; globs: number; unanswered: number };
  /** requests answered differently by the shuffled formation (beyond the noise between the controls) */
  diverged: number;
}

// The command line that replays a run: the same arguments with the run's seed.
export function replayCommand(args: readonly string[], seed: number): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--seed') i++;
    else if (!arg.startsWith('--seed=')) kept.push(arg);
  }
  return ['amnesia', ...kept, '--seed', String(seed)].map(shellWord).join(' ');
}
