import type { EventBus } from '../events/bus.js';
import { keyAfterResponse } from '../shared/client-id.js';
import type { RunEvent } from '../events/types.js';
import { Broadcasts, type BroadcastProfile } from './broadcast.js';
import type { Prober, RuleContext } from './context.js';
import { okStatus, safeMethod, type Memory, type Request } from './evidence.js';
import type { Finding } from '../shared/finding.js';
import { FindingBook, HINTS } from './findings.js';
import { pathSegments } from './ids.js';
import { InstanceBook } from './instances.js';
import { LocalState } from './local-state.js';
import { Mirror } from './mirror.js';
import { Origins } from './origins.js';
import type { Redactor } from './redact.js';
import { checkReset } from './session-reset.js';
import { checkEngineIo, engineIoSid, isEngineIo } from './socket-io.js';
import { SplitState } from './split-state.js';
import { EMPTY_STACK, type Stack } from './stack.js';

export type { ProbeResult, Prober } from './context.js';

export interface DetectorOptions {
  mirror: boolean;
  redactor: Redactor;
  prober: Prober;
  bus: EventBus;
  /** the app's libraries, for fixes that name the change (default: none known) */
  stack?: Stack;
  now?: () => number;
}

const MAX_TRACKED = 10_000;

// Turns the run's events into findings. Remembers what each client saw and which instance handed out
// which id, then hands each request to the rules: split state (ask the others), socket.io sessions,
// session resets, the mirror, local files and WebSocket broadcasts.
export class Detector {
  readonly #o: DetectorOptions;
  readonly #book = new FindingBook();
  readonly #clients = new Map<string, Memory>();
  /** paths that answered 2xx (or that a PUT/POST created), and the instance that did */
  readonly #okPaths = new Map<string, Memory>();
  /** the responses that may have handed ids out */
  readonly #origins = new Origins();
  readonly #pending = new Set<Promise<void>>();
  readonly #ctx: RuleContext;
  readonly #split: SplitState;
  readonly #mirror: Mirror;
  readonly #broadcasts = new Broadcasts();
  readonly #now: () => number;
  readonly #local: LocalState;
  readonly #instances = new InstanceBook();

  constructor(options: DetectorOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const base = {
      redactor: options.redactor,
      prober: options.prober,
      stack: options.stack ?? EMPTY_STACK,
      instances: this.#instances,
      raise: (finding: Omit<Finding, 'count'>) => this.raise(finding),
      track: (work: Promise<void>) => this.#track(work),
      now: this.#now,
    };
    this.#local = new LocalState(base);
    this.#ctx = { ...base, local: this.#local };
    this.#split = new SplitState(this.#ctx);
    this.#mirror = new Mirror(this.#ctx);
  }

  findings(): Finding[] {
    return this.#book.list();
  }

  /** raise a finding found elsewhere (the smoke command's verdicts) */
  raise(finding: Omit<Finding, 'count'>): void {
    const { finding: f, isNew } = this.#book.add(finding);
    if (isNew) this.#o.bus.emit({ kind: 'finding:raised', finding: f });
  }

  /** resolves when every confirmation and mirror started so far has finished */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** where this run's WebSocket messages fanned out (a control run's, to judge the shuffled run by) */
  broadcastProfile(): BroadcastProfile {
    return this.#broadcasts.profile();
  }

  /** end-of-run rules: the ones that need the whole run (WebSocket broadcasts) */
  finish(learnt?: BroadcastProfile): void {
    this.#broadcasts.finish(this.#ctx, learnt);
  }

  handle = (event: RunEvent): void => {
    this.#instances.handle(event);
    if (event.kind === 'request:done') this.#request(event);
    else if (event.kind === 'instance:exited' && event.state === 'crashed' && event.pid > 0) {
      this.raise({
        kind: 'crash',
        type: event.type,
        instances: [event.name],
        route: '(process)',
        evidence: [
          `${event.name} (pid ${event.pid}) ${event.signal ? `was terminated by ${event.signal}` : `exited with code ${event.code}`} while the run went on`,
        ],
        hint: HINTS.crash,
      });
    } else if (event.kind === 'file:written') this.#local.file(event, this.#now());
    else if (event.kind === 'tmp:written') this.#local.tmp(event, this.#now());
    else if (event.kind === 'ws:message') this.#broadcasts.handle(event, this.#now());
  };

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  #request(e: Request): void {
    if (!e.instance) return;
    const at = this.#now();
    this.#local.request(e, at);
    const { uid, name } = e.instance;
    const prev = this.#clients.get(e.client);
    const ok = okStatus(e.status, e.location);
    const memory: Memory = { uid, name, ok, at, request: e };
    this.#remember(this.#clients, e.client, memory);
    const next = e.setCookies.length > 0 ? keyAfterResponse(e.sessionCookies, e.setCookies) : undefined;
    if (next !== undefined && next !== e.client) this.#remember(this.#clients, next, memory);
    const query = e.path.indexOf('?');
    const path = query === -1 ? e.path : e.path.slice(0, query);
    // ids are looked up only for the answers that may mean a lost object or socket.io session
    const origin = e.status === 400 || e.status === 404 || e.status === 410 ? this.#origin(e) : undefined;
    const engineIo = isEngineIo(e.path);
    if (engineIo) checkEngineIo(this.#ctx, e, origin?.memory);
    else {
      const suspect = this.#split.suspect(e, prev, origin, this.#okPaths.get(path));
      if (suspect) this.#split.check(suspect);
    }
    if (prev && prev.uid !== uid && e.setCookies.length > 0 && e.sessionCookies.length > 0)
      this.#track(checkReset(this.#ctx, e, prev));
    if (ok) this.#origins.add(memory);
    if (ok && e.status < 300 && e.method !== 'DELETE') this.#remember(this.#okPaths, path, memory);
    if (e.method === 'DELETE' && e.status < 300) this.#okPaths.delete(path);
    if (!safeMethod(e.method)) this.#mirror.wrote(e);
    if (this.#o.mirror && ok && safeMethod(e.method) && e.replayHeaders && !engineIo) this.#mirror.queue(e);
  }

  // The response that first handed out an id this request's path (or engine.io sid) carries.
  #origin(e: Request): { memory: Memory; ids: string[] } | undefined {
    const sid = engineIoSid(e.path);
    return this.#origins.find([...pathSegments(e.path), ...(sid ? [sid] : [])], e.instance?.uid);
  }

  // Oldest entries go first when the map is full (by first insertion: a busy key may go early, cheaply).
  #remember(map: Map<string, Memory>, key: string, memory: Memory): void {
    map.set(key, memory);
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value ?? '');
  }
}
