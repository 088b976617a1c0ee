// Diffy's three-way comparison for a replay: control A and control B (one fresh instance each, no restarts)
// and the shuffled formation answered the same requests. What differs between A and B on a route (a
// timestamp, a random id, a CSRF token) is noise on that route; a difference between A and the shuffled run
// on any other field (status, redirect target, content type, JSON leaves, text lines), or a WebSocket
// message A and B both received that the shuffled run did not, is a divergence.
import { differing, fields } from '../detect/divergence.js';
import type { Finding } from '../shared/finding.js';
import type { Plan, Step } from './plan.js';
import type { Answer } from './replayer.js';

export interface Divergence {
  step: Step;
  /** the fields that differ (`status`, `location`, `$.items`, `line 3`, `messages`) */
  keys: string[];
  control: Answer;
  shuffled: Answer;
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

export function compareRuns(plan: Plan, a: Answer[], b: Answer[], shuffled: Answer[]): Divergence[] {
  const noise = new Map<string, Set<string>>();
  const compared = plan.steps.map((step) => {
    const [fa, fb, fs] = [a, b, shuffled].map((run) => {
      const answer = run[step.index];
      return answer && !step.ws ? fieldsOf(answer) : undefined;
    });
    if (fa && fb) {
      const noisy = noise.get(step.route) ?? new Set<string>();
      for (const key of differing(fa, fb)) noisy.add(key);
      noise.set(step.route, noisy);
    }
    return { step, fa, fs };
  });
  const out: Divergence[] = [];
  const lastInstance = new Map<number, string | undefined>();
  for (const { step, fa, fs } of compared) {
    const control = a[step.index];
    const answer = shuffled[step.index];
    const previous = lastInstance.get(step.client);
    if (answer?.instance !== undefined) lastInstance.set(step.client, answer.instance);
    if (!control || !answer || control.status === 0) continue;
    if (step.ws) {
      const inA = control.received ?? [];
      const inB = b[step.index]?.received ?? [];
      const inS = answer.received ?? [];
      // what A and B both received is reproducible; the shuffled run must have it too
      const missing = inA.filter((m, i) => inB[i] === m && !inS.includes(m));
      if (missing.length > 0) out.push({ step, keys: ['messages'], control, shuffled: answer, previous });
      continue;
    }
    if (!fa || !fs) continue;
    const noisy = noise.get(step.route);
    const keys = differing(fa, fs).filter((key) => !noisy?.has(key));
    if (keys.length > 0) out.push({ step, keys, control, shuffled: answer, previous });
  }
  return out;
}

const clip = (text: string, n = 160): string => (text.length > n ? `${text.slice(0, n)}…` : text);

function summary(answer: Answer, keys: readonly string[]): string {
  if (answer.received) return `${answer.received.length} message${answer.received.length === 1 ? '' : 's'} received`;
  const all = fieldsOf(answer);
  const shown = keys
    .filter((k) => k !== 'status')
    .slice(0, 3)
    .map((k) => `${k} = ${clip(all.get(k) ?? '(none)', 80)}`);
  return [`${answer.status}`, ...shown].join(', ');
}

/** the request as the shuffled run sent it: a bound value (an id, a token) is the live one, not the recorded */
function sentAs(step: Step, shuffled: Answer): string {
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
