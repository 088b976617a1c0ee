// What the manager and the replay client's process (cli/replay-client.ts) say to each other over their channel.
import type { Finding } from '../shared/finding.js';
import type { ReplayPhase } from '../events/types.js';
import type { PlanSummary } from './session.js';

export type ReplayRequest =
  | { kind: 'open'; path: string; shown: string; skip: readonly string[] }
  | { kind: 'run'; phase: ReplayPhase; base: string }
  | { kind: 'findings'; type: string; hint: string };

export type ReplayReply =
  | { kind: 'opened'; summary: PlanSummary }
  | { kind: 'ran' }
  | { kind: 'findings'; findings: Array<Omit<Finding, 'count'>> }
  /** a UserError (a file that is not HAR) keeps its code, place and hint; anything else is a bug's stack */
  | {
      kind: 'failed';
      error: { code: string | undefined; message: string; where?: string | undefined; hint?: string | undefined };
    };
