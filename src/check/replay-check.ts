// `check --replay FILE.har`: the recording read and planned before anything starts (a bad file is a usage
// error), then sent three times: to control A and control B (one fresh instance each, no restarts) and to
// the shuffled formation; what A and B disagree on is noise, what the shuffled run alone answers differently
// is a `replay-diverged` finding.
import { resolve } from 'node:path';

import type { RecordingSummary } from '../report/report.js';
import { BindingFinder, carried, type Binding } from '../replay/bindings.js';
import { compareRuns, divergenceFinding } from '../replay/compare.js';
import { planReplay, type Plan } from '../replay/plan.js';
import { readHar } from '../replay/read-har.js';
import type { Answer } from '../replay/replayer.js';
import type { Finding } from '../shared/finding.js';

/** how long control A waits for a WebSocket message the recording received (B and the shuffled run wait
 *  only for what A received) */
const RECEIVE_WAIT_MS = 2000;
/** the longest pause between two recorded events that the replay keeps: a minute of reading between two
 *  clicks replays as a second, long enough for a restart to land in between, short enough for CI */
export const REPLAY_GAP_CAP_MS = 1000;

export interface ReplayInput {
  plan: Plan;
  bindings: Binding[][];
  file: string;
}

export function prepareReplay(file: string, cwd: string, skip: readonly string[]): ReplayInput {
  const plan = planReplay(readHar(resolve(cwd, file), file), skip);
  const finder = new BindingFinder();
  const bindings = plan.steps.map((step) => {
    const found = finder.request(step.client, carried(step.path, step.headers, step.body));
    finder.response(step.index, step.client, step.recorded);
    return found;
  });
  return { plan, bindings, file };
}

export type ReplayPhase = 'control A' | 'control B' | 'shuffled';

// The three runs' answers, kept for the comparison.
export class ReplayCheck {
  readonly #input: ReplayInput;
  readonly #answers = new Map<ReplayPhase, Answer[]>();

  constructor(input: ReplayInput) {
    this.#input = input;
  }

  async run(phase: ReplayPhase, base: string): Promise<void> {
    const { replay } = await import('../replay/replayer.js');
    const control = this.#answers.get('control A');
    const expected = control
      ? new Map(control.flatMap((a, i) => (a.received ? [[i, a.received.length] as [number, number]] : [])))
      : undefined;
    const answers = await replay(this.#input.plan, this.#input.bindings, base, {
      receiveWaitMs: RECEIVE_WAIT_MS,
      gapCapMs: REPLAY_GAP_CAP_MS,
      ...(expected ? { expected } : {}),
    });
    this.#answers.set(phase, answers);
  }

  /** the findings, and the summary for the report */
  verdict(
    type: string,
    redact: (text: string) => string,
    hint: string,
  ): { findings: Array<Omit<Finding, 'count'>>; summary: RecordingSummary } {
    const { plan, file } = this.#input;
    const [a = [], b = [], s = []] = (['control A', 'control B', 'shuffled'] as const).map((p) => this.#answers.get(p));
    const diverged = compareRuns(plan, a, b, s);
    return {
      findings: diverged.map((d) => divergenceFinding(d, plan, type, redact, hint)),
      summary: {
        file,
        requests: plan.steps.length,
        clients: plan.clients,
        skipped: plan.skipped,
        diverged: diverged.length,
      },
    };
  }
}
