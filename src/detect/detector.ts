import type { EventBus } from '../events/bus.js';
import { keyAfterResponse } from '../router/client-id.js';
import type { EventOf, RunEvent } from '../events/types.js';
import { differing, fields, NoiseFloor } from './divergence.js';
import { FindingBook, HINTS, MISSING_HINT, type Finding } from './findings.js';
import type { Redactor } from './redact.js';
import { routePattern } from './route-pattern.js';

export interface ProbeResult {
  status: number;
  body: string;
  contentType: string;
  setCookies: Array<[string, string]>;
  location: string | undefined;
}

/** how the detector asks instances directly (implemented by the routers) */
export interface Prober {
  probe(type: string, uid: number, method: string, path: string, headers: Record<string, string | string[]>): Promise<ProbeResult | undefined>;
  alive(type: string, uid: number): boolean;
  otherThan(type: string, uid: number): { uid: number; name: string } | undefined;
}

export interface DetectorOptions {
  mirror: boolean;
  redactor: Redactor;
  prober: Prober;
  bus: EventBus;
}

type Request = EventOf<'request:done'>;

interface ClientMemory {
  uid: number;
  name: string;
  ok: boolean;
  /** summarised (and redacted) only when it becomes evidence: most requests never do */
  request: Request;
}

/** server-side session ids: a new value for one of these means the instance did not know the session */
const SERVER_SESSION = /^(connect\.sid|sessionid|session_id|sid|phpsessid|jsessionid|_session_id|laravel_session|asp\.net_sessionid|rack\.session)$/i;
const LOGIN = /login|signin|sign-in|sign_in|auth|session\/new/i;
const MAX_MIRRORS_PER_ROUTE = 40;
const MAX_QUEUED_MIRRORS = 20;
const MAX_CLIENTS = 10_000;

const isLoginRedirect = (status: number, location: string | undefined): boolean => status >= 300 && status < 400 && location !== undefined && LOGIN.test(location);
const okStatus = (status: number, location: string | undefined): boolean => status >= 200 && status < 400 && !isLoginRedirect(status, location);
const safeMethod = (method: string): boolean => method === 'GET' || method === 'HEAD';

// Turns the run's events into findings: session-lost and session-reset from what clients see across hops
// and restarts (confirmed against the previous instance when it is still there), crashes, local writes,
// and, with --mirror, divergence between instances above the noise each instance shows on its own.
export class Detector {
  readonly #o: DetectorOptions;
  readonly #book = new FindingBook();
  readonly #clients = new Map<string, ClientMemory>();
  /** paths that answered 2xx (or that a PUT/POST created), and the instance that did */
  readonly #okPaths = new Map<string, ClientMemory>();
  readonly #recent: Request[] = [];
  readonly #noise = new NoiseFloor();
  readonly #mirrored = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();
  /** mirrors run one after another, so they do not pile load on the app */
  #mirrorChain: Promise<void> = Promise.resolve();
  #mirrorsQueued = 0;

  constructor(options: DetectorOptions) {
    this.#o = options;
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

  handle = (event: RunEvent): void => {
    if (event.kind === 'request:done') this.#request(event);
    else if (event.kind === 'instance:exited' && event.state === 'crashed') {
      this.raise({
        kind: 'crash',
        type: event.type,
        instances: [event.name],
        route: '(process)',
        evidence: [`${event.name} (pid ${event.pid}) ${event.signal ? `was terminated by ${event.signal}` : `exited with code ${event.code}`} while the run went on`],
        hint: HINTS.crash,
      });
    } else if (event.kind === 'file:written') this.#write(event);
  };

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  #request(e: Request): void {
    if (!e.instance) return;
    this.#recent.push(e);
    if (this.#recent.length > 50) this.#recent.shift();
    const { uid, name } = e.instance;
    const prev = this.#clients.get(e.client);
    const ok = okStatus(e.status, e.location);
    const memory = { uid, name, ok, request: e };
    this.#clients.set(e.client, memory);
    const next = keyAfterResponse(e.sessionCookies, e.setCookies);
    if (next !== undefined && next !== e.client) this.#clients.set(next, memory);
    if (this.#clients.size > MAX_CLIENTS) this.#clients.delete(this.#clients.keys().next().value ?? '');
    const path = e.path.split('?')[0] ?? '/';
    const served = this.#okPaths.get(path);
    // a path that answered 2xx, or that a PUT/POST just created, exists: a 404 for it elsewhere is news,
    // whichever client asks
    if ((e.status === 404 || e.status === 410) && safeMethod(e.method) && served && served.uid !== uid) this.#track(this.#checkLost(e, served, true));
    else if (prev && prev.uid !== uid && prev.ok) this.#track(this.#checkLost(e, prev, false));
    if (prev && prev.uid !== uid) this.#track(this.#checkReset(e, prev));
    if (ok && e.status < 300 && e.method !== 'DELETE') this.#okPaths.set(path, memory);
    if (e.method === 'DELETE' && e.status < 300) this.#okPaths.delete(path);
    if (this.#okPaths.size > MAX_CLIENTS) this.#okPaths.delete(this.#okPaths.keys().next().value ?? '');
    if (this.#o.mirror && ok && safeMethod(e.method) && e.replayHeaders && this.#mirrorsQueued < MAX_QUEUED_MIRRORS) {
      this.#mirrorsQueued++;
      this.#mirrorChain = this.#mirrorChain.then(() => this.#mirror(e)).finally(() => this.#mirrorsQueued--);
      this.#track(this.#mirrorChain);
    }
  }

  #summary(e: Request): string {
    const r = this.#o.redactor;
    const cookies = e.sessionCookies.map(([n, v]) => r.cookie(n, v)).join('; ');
    const sent = [cookies ? `cookie: ${cookies}` : '', e.authorization ? 'authorization: <redacted>' : ''].filter((x) => x !== '').join(', ');
    const set = e.setCookies.map(([n, v]) => r.cookie(n, v)).join('; ');
    const answer = [`${e.status}`, e.location ? `→ ${r.text(e.location)}` : '', set ? `set-cookie: ${set}` : ''].filter((x) => x !== '').join(' ');
    return r.text(`${e.method} ${e.path}${sent ? ` (${sent})` : ''} → ${answer} from ${e.instance?.name ?? '?'}`);
  }

  // `missing`: a 404/410 for a path that `prev` (the instance that created or served it) knows.
  async #checkLost(e: Request, prev: ClientMemory, missing: boolean): Promise<void> {
    const credentials = e.sessionCookies.length > 0 || e.authorization;
    const denied = e.status === 401 || e.status === 403 || isLoginRedirect(e.status, e.location);
    if (!(denied && credentials) && !missing) return;
    const type = e.type;
    let confirmation = '';
    if (safeMethod(e.method) && e.replayHeaders && this.#o.prober.alive(type, prev.uid)) {
      const again = await this.#o.prober.probe(type, prev.uid, e.method, e.path, e.replayHeaders);
      if (!again || !okStatus(again.status, again.location)) return;
      confirmation = `the same request sent to ${prev.name} → ${again.status}`;
    }
    const after = e.afterRestart ? ` after ${prev.name} was restarted` : ` after a hop from ${prev.name}`;
    this.raise({
      kind: 'session-lost',
      type,
      instances: [prev.name, e.instance?.name ?? '?'],
      route: routePattern(e.method, e.path),
      evidence: [`previous: ${this.#summary(prev.request)}`, `then${after}: ${this.#summary(e)}`, ...(confirmation ? [`confirmed: ${confirmation}`] : [])],
      hint: missing ? MISSING_HINT : HINTS['session-lost'],
    });
  }

  async #checkReset(e: Request, prev: ClientMemory): Promise<void> {
    const reset = e.sessionCookies.find(([name, value]) => e.setCookies.some(([n, v]) => n === name && v !== value && v !== ''));
    if (!reset) return;
    const [cookie, sent] = reset;
    let confirmation = '';
    if (safeMethod(e.method) && e.replayHeaders && this.#o.prober.alive(e.type, prev.uid)) {
      const again = await this.#o.prober.probe(e.type, prev.uid, e.method, e.path, e.replayHeaders);
      if (!again) return;
      const reissued = again.setCookies.find(([n]) => n === cookie);
      // the previous instance also hands out a new value: rotation, not a lost session
      if (reissued && reissued[1] !== sent) return;
      confirmation = `${prev.name} answered the same request without replacing ${cookie}`;
    } else if (!SERVER_SESSION.test(cookie)) return;
    const after = e.afterRestart ? ` after ${prev.name} was restarted` : ` after a hop from ${prev.name}`;
    this.raise({
      kind: 'session-reset',
      type: e.type,
      instances: [prev.name, e.instance?.name ?? '?'],
      route: routePattern(e.method, e.path),
      evidence: [`previous: ${this.#summary(prev.request)}`, `then${after}: ${this.#summary(e)} (a new ${cookie})`, ...(confirmation ? [`confirmed: ${confirmation}`] : [])],
      hint: HINTS['session-reset'],
    });
  }

  async #mirror(e: Request): Promise<void> {
    const route = routePattern(e.method, e.path);
    const seen = this.#mirrored.get(route) ?? 0;
    if (seen >= MAX_MIRRORS_PER_ROUTE || !e.instance || !e.replayHeaders) return;
    const other = this.#o.prober.otherThan(e.type, e.instance.uid);
    if (!other) return;
    this.#mirrored.set(route, seen + 1);
    {
      const ask = (uid: number) => this.#o.prober.probe(e.type, uid, e.method, e.path, e.replayHeaders ?? {});
      // A, then B, then A again: anything that drifts with time differs within A as much as across
      const a = await ask(e.instance.uid);
      const b = await ask(other.uid);
      const again = await ask(e.instance.uid);
      if (!a || !b || !again) return;
      const fa = fields(a.status, a.contentType, a.body);
      const standing = this.#noise.record(route, differing(fa, fields(b.status, b.contentType, b.body)), differing(fa, fields(again.status, again.contentType, again.body)));
      if (standing.length === 0) return;
      const key = standing[0] ?? 'status';
      const value = (f: ProbeResult): string => this.#o.redactor.text(fields(f.status, f.contentType, f.body).get(key) ?? '(absent)').slice(0, 200);
      this.raise({
        kind: 'divergence',
        type: e.type,
        instances: [e.instance.name, other.name],
        route,
        evidence: [
          `${e.method} ${e.path}: ${key} is ${value(a)} on ${e.instance.name} (twice in a row), but ${value(b)} on ${other.name}`,
          `fields above the noise: ${standing.slice(0, 5).join(', ')}`,
        ],
        hint: HINTS.divergence,
      });
    }
  }

  #write(e: EventOf<'file:written'>): void {
    const latest = [...this.#recent].reverse();
    const cause = latest.find((r) => !safeMethod(r.method)) ?? latest[0];
    this.raise({
      kind: 'local-write',
      type: cause?.type ?? '(app)',
      instances: cause?.instance ? [cause.instance.name] : [],
      route: cause ? routePattern(cause.method, cause.path) : '(at boot)',
      evidence: [`${e.path} was ${e.change}${cause ? `, around ${this.#summary(cause)}` : ' before any request'}`],
      hint: HINTS['local-write'],
    });
  }
}
