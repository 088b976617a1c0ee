// Diffy's three-way comparison for a replay: control A and control B (one fresh instance each, no restarts)
// and the shuffled formation answered the same requests. What differs between A and B on a route (a
// timestamp, a random id, a CSRF token) is noise on that route; a difference between A and the shuffled run
// on any other field (status, redirect target, content type, JSON leaves, text lines), or a WebSocket
// message A and B both received that the shuffled run did not, is a divergence.
import { differing, fields } from '../detect/divergence.js';
import type { Finding } from '../shared/finding.js';
import type { Plan, Step } from './plan.js';
import type { Answer } from './replayer.js';

/** what the comparison keeps of an answer: the fields it compares, not the body */
export interface Kept {
  status: number;
  /** an HTTP answer's fields (status, content type, location, JSON leaves or text lines) */
  fields: Map<string, string> | undefined;
  /** a WebSocket's received messages */
  received?: string[];
  instance: string | undefined;
  error?: string;
  /** the path and query sent, with the live values bound in */
  sent?: string;
}

export interface Divergence {
  step: Step;
  /** the fields that differ (`status`, `location`, `$.items`, `line 3`, `messages`) */
  keys: string[];
  control: Kept;
  shuffled: Kept;
  /** the instance that answered this client's previous request in the shuffled run */
  previous: string | undefined;
}

function fieldsOf(answer: Answer): Map<string, string> {
  const contentType = answer.headers.find((h) => h.name === 'content-type')?.value ?? '';
  const out = fields(answer.status, contentType, answer.text ?? '');
  out.set('content-type', contentType.split(';')[0]?.trim().toLowerCase() ?? '');
  const location = answer.headers.find((h) => h.name === 'location')?.value;
  if (location !== undefined) out.set('location', new URL(location, 'http://x').pathname);
  return out;
}

function keep(step: Step, answer: Answer): Kept {
  const { status, received, instance, error, sent } = answer;
  return {
    status,
    fields: step.ws ? undefined : fieldsOf(answer),
    instance,
    ...(received ? { received } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(sent !== undefined ? { sent } : {}),
  };
}

// The comparison as the answers come, run after run: control A's answers are kept (as fields), control B's
// only teach the noise, the shuffled run's are compared as they come and kept only where they diverge. A
// replay of thousands of requests holds one run's worth of fields, not three runs of bodies.
export class Comparison {
  readonly #steps: readonly Step[];
  readonly #control = new Map<number, Kept>();
  /** per WebSocket step, the messages A and B both received, in order */
  readonly #reproducible = new Map<number, string[]>();
  readonly #noise = new Map<string, Set<string>>();
  readonly #instances = new Map<number, string>();
  readonly #diverged: Array<Omit<Divergence, 'previous'>> = [];

  constructor(plan: Plan) {
    this.#steps = plan.steps;
  }

  /** control A (one instance, no restarts) */
  control(index: number, answer: Answer): void {
    this.#control.set(index, keep(this.#steps[index]!, answer));
  }

  /** how many messages control A received on a WebSocket step */
  receivedInControl(index: number): number | undefined {
    return this.#control.get(index)?.received?.length;
  }

  /** control B (another fresh instance): what differs from A on a route is noise there */
  second(index: number, answer: Answer): void {
    const step = this.#steps[index]!;
    const a = this.#control.get(index);
    if (!a) return;
    if (step.ws) {
      const inB = answer.received ?? [];
      this.#reproducible.set(
        index,
        (a.received ?? []).filter((m, i) => inB[i] === m),
      );
    } else if (a.fields) {
      const noisy = this.#noise.get(step.route) ?? new Set<string>();
      for (const key of differing(a.fields, fieldsOf(answer))) noisy.add(key);
      this.#noise.set(step.route, noisy);
    }
  }

  /** the shuffled formation: once both controls have answered everything */
  shuffled(index: number, answer: Answer): void {
    const step = this.#steps[index]!;
    if (answer.instance !== undefined) this.#instances.set(index, answer.instance);
    const control = this.#control.get(index);
    if (!control || control.status === 0) return;
    if (step.ws) {
      // what A and B both received is reproducible; the shuffled run must have it too
      const inS = answer.received ?? [];
      const missing = (this.#reproducible.get(index) ?? []).filter((m) => !inS.includes(m));
      if (missing.length > 0) this.#diverged.push({ step, keys: ['messages'], control, shuffled: keep(step, answer) });
      return;
    }
    if (!control.fields) return;
    const shuffled = keep(step, answer);
    const noisy = this.#noise.get(step.route);
    const keys = differing(control.fields, shuffled.fields!).filter((key) => !noisy?.has(key));
    if (keys.length > 0) this.#diverged.push({ step, keys, control, shuffled });
  }

  /** the divergences in recorded order, each with the instance the client's previous request went to */
  divergences(): Divergence[] {
    const previous = new Map<number, string | undefined>();
    const lastInstance = new Map<number, string>();
    for (const step of this.#steps) {
      previous.set(step.index, lastInstance.get(step.client));
      const instance = this.#instances.get(step.index);
      if (instance !== undefined) lastInstance.set(step.client, instance);
    }
    return [...this.#diverged]
      .sort((x, y) => x.step.index - y.step.index)
      .map((d) => ({ ...d, previous: previous.get(d.step.index) }));
  }
}

/** the comparison of three whole runs' answers (by step index) */
export function compareRuns(plan: Plan, a: Answer[], b: Answer[], shuffled: Answer[]): Divergence[] {
  const comparison = new Comparison(plan);
  const feed = (run: Answer[], take: (index: number, answer: Answer) => void): void =>
    run.forEach((answer, index) => take(index, answer));
  feed(a, (i, answer) => comparison.control(i, answer));
  feed(b, (i, answer) => comparison.second(i, answer));
  feed(shuffled, (i, answer) => comparison.shuffled(i, answer));
  return comparison.divergences();
}

const clip = (text: string, n = 160): string => (text.length > n ? `${text.slice(0, n)}…` : text);

function summary(answer: Kept, keys: readonly string[]): string {
  if (answer.received) return `${answer.received.length} message${answer.received.length === 1 ? '' : 's'} received`;
  const all = answer.fields ?? new Map<string, string>();
  const shown = keys
    .filter((k) => k !== 'status')
    .slice(0, 3)
    .map((k) => `${k} = ${clip(all.get(k) ?? '(none)', 80)}`);
  return [`${answer.status}`, ...shown].join(', ');
}

/** the request as the shuffled run sent it: a bound value (an id, a token) is the live one, not the recorded */
function sentAs(step: Step, shuffled: Kept): string {
  const sent = shuffled.sent ?? step.path;
  return `${step.method} ${clip(sent)}${sent === step.path ? '' : ` (recorded as ${clip(step.path)})`}`;
}

/** a finding for the first divergence on each route (the detector's book counts the rest) */
export function divergenceFinding(
  d: Divergence,
  plan: Plan,
  type: string,
  redact: (text: string) => string,
  hint: string,
): Omit<Finding, 'count'> {
  const { step, control, shuffled } = d;
  const instances = [d.previous, shuffled.instance].filter((i): i is string => i !== undefined);
  const missing = step.ws
    ? (control.received ?? []).filter((m) => !(shuffled.received ?? []).includes(m)).slice(0, 3)
    : [];
  return {
    kind: 'replay-diverged',
    type,
    instances: [...new Set(instances)],
    route: step.route,
    evidence: [
      `request ${step.index + 1} of ${plan.steps.length} in the recording, client ${step.client + 1}: ${sentAs(step, shuffled)}`,
      `one instance, no restarts: ${summary(control, d.keys)}`,
      `shuffled${shuffled.instance ? ` (${shuffled.instance}${d.previous && d.previous !== shuffled.instance ? `; the previous request went to ${d.previous}` : ''})` : ''}: ${summary(shuffled, d.keys)}${shuffled.error ? ` (${shuffled.error})` : ''}`,
      ...(step.ws
        ? missing.map((m) => `received with one instance, not shuffled: ${clip(m, 120)}`)
        : [`differs in ${d.keys.slice(0, 6).join(', ')}; two runs on one instance agree there`]),
    ].map(redact),
    hint,
  };
}
