// One `check --replay`, on the replaying side: the recording read and planned (entry by entry), then sent
// three times (control A, control B, the shuffled formation), each run's answers compared as they come; the
// divergences as findings at the end. It runs in a process of its own (cli/replay-client.ts), as a smoke client
// does: the manager's process holds the formation, not the recording.
import { BindingFinder, carried, type Binding } from './bindings.js';
import { Comparison, divergenceFinding } from './compare.js';
import { Planner, type Plan } from './plan.js';
import { eachHarEntry } from './read-har.js';
import { replay, type Answer } from './replayer.js';
import type { ReplayPhase } from '../events/types.js';
import type { Finding } from '../shared/finding.js';

/** how long control A waits for a WebSocket message the recording received (B and the shuffled run wait
 *  only for what A received) */
const RECEIVE_WAIT_MS = 2000;
/** the longest pause between two recorded events that the replay keeps: a minute of reading between two
 *  clicks replays as a second, long enough for a restart to land in between, short enough for CI */
export const REPLAY_GAP_CAP_MS = 1000;

export interface PlanSummary {
  requests: number;
  clients: number;
  skipped: Plan['skipped'];
}

export class ReplaySession {
  readonly #plan: Plan;
  readonly #bindings: Binding[][];
  readonly #comparison: Comparison;

  /** reads and plans the file; a file that is not HAR throws the UserError that says where */
  constructor(path: string, shown: string, skip: readonly string[]) {
    const planner = new Planner();
    eachHarEntry(path, shown, (entry) => planner.add(entry));
    this.#plan = planner.plan(skip);
    const finder = new BindingFinder();
    this.#bindings = this.#plan.steps.map((step) => {
      const found = finder.request(step.client, carried(step.path, step.headers, step.body));
      finder.learn(step.index, step.client, step.given ?? new Map());
      // the recorded values are needed no more: a long recording's are let go before the replay starts
      step.given = undefined;
      return found;
    });
    this.#comparison = new Comparison(this.#plan);
  }

  summary(): PlanSummary {
    const { steps, clients, skipped } = this.#plan;
    return { requests: steps.length, clients, skipped };
  }

  async run(phase: ReplayPhase, base: string): Promise<void> {
    const comparison = this.#comparison;
    const expected = new Map<number, number>();
    if (phase !== 'control A')
      for (const step of this.#plan.steps) {
        const n = step.ws ? comparison.receivedInControl(step.index) : undefined;
        if (n !== undefined) expected.set(step.index, n);
      }
    const take: Record<ReplayPhase, (index: number, answer: Answer) => void> = {
      'control A': (i, a) => comparison.control(i, a),
      'control B': (i, a) => comparison.second(i, a),
      shuffled: (i, a) => comparison.shuffled(i, a),
    };
    await replay(this.#plan, this.#bindings, base, {
      receiveWaitMs: RECEIVE_WAIT_MS,
      gapCapMs: REPLAY_GAP_CAP_MS,
      onAnswer: take[phase],
      ...(phase === 'control A' ? {} : { expected }),
    });
  }

  /** a finding per divergence, its evidence not yet redacted (the manager holds what must be hidden) */
  findings(type: string, hint: string): Array<Omit<Finding, 'count'>> {
    return this.#comparison.divergences().map((d) => divergenceFinding(d, this.#plan, type, (t) => t, hint));
  }
}
