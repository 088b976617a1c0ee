// A replay plan as one ordered list of what happened: each request's start and the end of its response,
// each WebSocket message sent or received, each socket's close. Times are compared at the millisecond HAR
// records them with, and an end comes before a start of the same millisecond: a request that followed
// another's answer waits for that answer on replay, whatever sub-millisecond rounding did to the recording.
// The gaps between events are kept too (a person reading a page before the next click: a scheduled restart
// can fall in between, as it would while they browse), each cut to a cap so a long session replays quickly.
import type { Clock } from '../shared/clock.js';
import type { Plan, Step } from './plan.js';

export type TimelineEvent = { at: number } & (
  | { kind: 'start'; step: Step }
  /** the step's response (a WebSocket: its handshake) had ended by then */
  | { kind: 'done'; step: Step }
  | { kind: 'send'; step: Step; opcode: number; data: string }
  /** the `ordinal`-th message (0 first) the socket received had arrived by then */
  | { kind: 'receive'; step: Step; ordinal: number }
  | { kind: 'close'; step: Step }
);

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

// a socket's own messages keep their recorded order within a millisecond (a reply never before its question)
const RANK: Record<TimelineEvent['kind'], number> = { done: 0, receive: 1, start: 1, send: 1, close: 2 };

export function timeline(plan: Plan): TimelineEvent[] {
  const timed: Array<{ at: number; exact: number; seq: number; event: TimelineEvent }> = [];
  const add = (exact: number, event: DistributiveOmit<TimelineEvent, 'at'>): number => {
    const at = Math.floor(exact);
    return timed.push({ at, exact, seq: timed.length, event: { ...event, at } as TimelineEvent });
  };
  for (const step of plan.steps) {
    add(step.startMs, { kind: 'start', step });
    add(step.endMs, { kind: 'done', step });
    if (!step.ws) continue;
    let ordinal = 0;
    for (const m of step.ws.events) {
      if (m.type === 'send') add(m.atMs, { kind: 'send', step, opcode: m.opcode, data: m.data });
      else add(m.atMs, { kind: 'receive', step, ordinal: ordinal++ });
    }
    if (step.ws.closedAtMs !== undefined) add(step.ws.closedAtMs, { kind: 'close', step });
  }
  // within a millisecond: ends first, then what was recorded finer (WebSocket messages) in its order
  timed.sort((a, b) => a.at - b.at || RANK[a.event.kind] - RANK[b.event.kind] || a.exact - b.exact || a.seq - b.seq);
  // what belongs to a step that has not started yet (its end in the same millisecond) follows its start
  const out: TimelineEvent[] = [];
  const started = new Set<number>();
  const deferred = new Map<number, TimelineEvent[]>();
  for (const { event } of timed) {
    const index = event.step.index;
    if (event.kind === 'start') {
      started.add(index);
      out.push(event, ...(deferred.get(index) ?? []));
      deferred.delete(index);
    } else if (started.has(index)) out.push(event);
    else deferred.set(index, [...(deferred.get(index) ?? []), event]);
  }
  return out;
}

// Holds each start and send back until the recorded gap since the event before it has passed again (at most
// `capMs`), counted from when that event happened on replay: think time is kept, a slow answer is not added to it.
export class Pacer {
  readonly #clock: Clock;
  readonly #capMs: number;
  #lastAt: number | undefined;
  #lastReal = 0;

  constructor(clock: Clock, capMs: number) {
    this.#clock = clock;
    this.#capMs = capMs;
  }

  /** resolves when `event` is due; call `passed()` once it has been handled */
  async due(event: TimelineEvent): Promise<void> {
    const gap = this.#lastAt === undefined ? 0 : Math.min(Math.max(0, event.at - this.#lastAt), this.#capMs);
    this.#lastAt = event.at;
    if (event.kind !== 'start' && event.kind !== 'send') return;
    const wait = this.#lastReal + gap - this.#clock.now();
    if (wait > 0) await this.#clock.sleep(wait);
  }

  passed(): void {
    this.#lastReal = this.#clock.now();
  }
}
