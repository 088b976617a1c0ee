// Sends a replay plan to a running formation: every client with its own cookie jar and connections, all
// clients at once, each step started in recorded order and held back only by what had finished before it
// was recorded (a response that ended before a request started, a WebSocket message received before one was
// sent), so a long poll does not block the requests beside it and a broadcast from one client reaches another.
import { CookieJar } from 'tough-cookie';
import { Pool } from 'undici';

import { decoded } from '../har/entry.js';
import type { Binding } from './bindings.js';
import { sources, substitute } from './bindings.js';
import type { Plan, Step } from './plan.js';
import { realClock, within, type Clock } from '../shared/clock.js';
import { openSocket, type Live } from './socket.js';
import { Pacer, timeline } from './timeline.js';

export interface Answer {
  /** 0: no answer (the error says why) */
  status: number;
  headers: Array<{ name: string; value: string }>;
  text: string | undefined;
  instance: string | undefined;
  error?: string;
  /** a WebSocket's received messages, in order */
  received?: string[];
  /** the path and query sent, with the live values bound in */
  sent?: string;
}

export interface ReplayOptions {
  /** how long a message the recording received is waited for */
  receiveWaitMs: number;
  /** per WebSocket step, how many messages an earlier run received: more are not waited for */
  expected?: ReadonlyMap<number, number>;
  /** the recorded gap between two events is kept up to this long (0: none kept) */
  gapCapMs: number;
  /** how much later than recorded an answer may come (default 5 s) */
  lateMs?: number;
  clock?: Clock;
  /** each step's answer, once: an HTTP answer when it has come, a WebSocket's when the replay ends */
  onAnswer: (index: number, answer: Answer) => void;
}

const MAX_BODY = 1024 * 1024;
/** how much later than recorded an answer may come before the events after it go on without it; also how
 *  long the end of a replay waits for what is still unanswered */
const LATE_MS = 5000;

export async function replay(plan: Plan, bindings: Binding[][], base: string, options: ReplayOptions): Promise<void> {
  const jars = new Map<number, CookieJar>();
  const pools = new Map<number, Pool>();
  const sockets = new Map<number, Live>();
  const socketAnswers = new Map<number, Answer>();
  const started = new Map<number, Promise<void>>();
  // only the values later requests send back are kept of the answers, not the answers
  const wanted = new Map<number, Set<string>>();
  for (const b of bindings.flat()) wanted.set(b.source, (wanted.get(b.source) ?? new Set()).add(b.locator));
  const live = new Map<number, Map<string, string>>();
  let over = false;
  const settle = (index: number, answer: Answer): void => {
    if (over) return; // cut at the end already: a late answer belongs to no run
    const locators = wanted.get(index);
    if (locators) {
      const found = sources({ headers: answer.headers, text: answer.text });
      live.set(index, new Map([...found].filter(([locator]) => locators.has(locator))));
    }
    options.onAnswer(index, answer);
  };
  const jarOf = (client: number): CookieJar =>
    jars.get(client) ?? (jars.set(client, new CookieJar()), jars.get(client)!);
  const poolOf = (client: number): Pool =>
    pools.get(client) ?? (pools.set(client, new Pool(base, { connections: 6 })), pools.get(client)!);
  const request = (step: Step): ReturnType<typeof substitute> => {
    const swaps: Array<[string, string]> = [];
    for (const b of bindings[step.index] ?? []) {
      // none yet while the source is unanswered: the answer may still come
      const value = live.get(b.source)?.get(b.locator);
      if (value !== undefined) swaps.push([b.value, value]);
    }
    return substitute({ path: step.path, headers: step.headers, body: step.body }, swaps);
  };
  // a client whose last request has been answered gives back its connections and its jar: a recording of
  // thousands of clients does not keep thousands of pools open
  const left = new Map<number, number>();
  for (const step of plan.steps) left.set(step.client, (left.get(step.client) ?? 0) + 1);
  const finished = (client: number): void => {
    const n = (left.get(client) ?? 1) - 1;
    left.set(client, n);
    if (n > 0) return;
    pools
      .get(client)
      ?.close()
      .catch(() => undefined);
    pools.delete(client);
    jars.delete(client);
  };
  const start = (step: Step): Promise<void> =>
    (step.ws
      ? openSocket(step, base, request(step), jarOf(step.client), socketAnswers, sockets)
      : send(step, base, request(step), jarOf(step.client), poolOf(step.client), settle)
    ).finally(() => finished(step.client));

  const clock = options.clock ?? realClock;
  const pacer = new Pacer(clock, options.gapCapMs);
  const lateMs = options.lateMs ?? LATE_MS;
  const answerWait = (step: Step): number => step.endMs - step.startMs + lateMs;
  try {
    for (const event of timeline(plan)) {
      await pacer.due(event);
      if (event.kind === 'start') started.set(event.step.index, start(event.step));
      // an answer far later than recorded (a long poll the live app keeps open) holds up nothing after it
      else if (event.kind === 'done') await within(clock, answerWait(event.step), started.get(event.step.index)!);
      else if (event.kind === 'send') {
        await started.get(event.step.index);
        sockets.get(event.step.index)?.send(event.opcode, event.data);
      } else if (event.kind === 'receive') {
        const socket = sockets.get(event.step.index);
        const expected = options.expected?.get(event.step.index);
        if (socket && (expected === undefined || event.ordinal < expected))
          await socket.received(event.ordinal + 1, options.receiveWaitMs);
      } else if (event.kind === 'close') sockets.get(event.step.index)?.close();
      pacer.passed();
    }
    await within(clock, lateMs, Promise.all(started.values()));
  } finally {
    for (const socket of sockets.values()) socket.close();
    // what is still unanswered is cut: its answer is the error
    const open = [...pools.values()];
    pools.clear();
    await Promise.all(open.map((pool) => pool.destroy()));
    await within(clock, lateMs, Promise.all(started.values()));
    for (const [index, answer] of socketAnswers) settle(index, answer);
    over = true;
  }
}

async function send(
  step: Step,
  base: string,
  r: ReturnType<typeof substitute>,
  jar: CookieJar,
  pool: Pool,
  settle: (index: number, answer: Answer) => void,
): Promise<void> {
  const url = new URL(r.path, base).href;
  const cookie = await jar.getCookieString(url);
  const headers: Array<[string, string]> = cookie ? [...r.headers, ['cookie', cookie]] : r.headers;
  try {
    const res = await pool.request({
      path: r.path,
      method: step.method,
      headers: headers.flat(),
      body: r.body,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (size < MAX_BODY) chunks.push(chunk);
      size += chunk.length;
    }
    const list = Object.entries(res.headers).flatMap(([name, value]) =>
      value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) })),
    );
    for (const { name, value } of list)
      if (name === 'set-cookie') await jar.setCookie(value, url, { ignoreError: true });
    const encoding = list.find((h) => h.name === 'content-encoding')?.value;
    const body = decoded(Buffer.concat(chunks), encoding);
    settle(step.index, {
      status: res.statusCode,
      headers: list,
      text: body?.toString('utf8'),
      instance: list.find((h) => h.name === 'x-amnesia-instance')?.value,
      sent: r.path,
    });
  } catch (error) {
    settle(step.index, {
      status: 0,
      headers: [],
      text: undefined,
      instance: undefined,
      sent: r.path,
      error: String(error),
    });
  }
}
