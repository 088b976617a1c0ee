import type { RuleContext } from './context.js';
import { isLoginRedirect, okStatus, safeMethod, summary, type Memory, type Request } from './evidence.js';
import { objectHint, sessionHint } from './hints.js';
import { pathSegments } from './ids.js';
import { routePattern } from './route-pattern.js';

/** 4xx answers that, after a hop or a restart, mean "I do not know you" rather than "you asked wrongly" */
const FORGOT = new Set([400, 401, 403, 404, 409, 410, 412, 422]);
const MAX_ASKS_PER_ROUTE = 20;

export interface Suspect {
  e: Request;
  /** who should have known: the instance that served this client before, or that created the object */
  holder: Memory;
  /** the ids in the path that the holder's response handed out, if that is how we know it */
  ids: string[];
  what: 'session' | 'object';
}

// "Ask the others": a safe request that a client just got refused (or a 404 for something another
// instance created) is sent to every other ready instance. One that answers 2xx holds the state; when
// none does and the holder was restarted in between, the state died with its process.
export class SplitState {
  readonly #ctx: RuleContext;
  readonly #asked = new Map<string, number>();

  constructor(ctx: RuleContext) {
    this.#ctx = ctx;
  }

  /** the suspect, if this answer looks like state another instance held */
  suspect(
    e: Request,
    prev: Memory | undefined,
    origin: { memory: Memory; ids: string[] } | undefined,
    served: Memory | undefined,
  ): Suspect | undefined {
    const uid = e.instance?.uid;
    if (uid === undefined || !(FORGOT.has(e.status) || isLoginRedirect(e.status, e.location))) return undefined;
    const credentials = e.sessionCookies.length > 0 || e.authorization;
    const missing = e.status === 404 || e.status === 410;
    if (missing) {
      const holder = [origin?.memory, served].find((m) => m !== undefined && m.uid !== uid);
      if (holder) return { e, holder, ids: holder === origin?.memory ? origin.ids : [], what: 'object' };
    }
    if (!missing && credentials && prev && prev.ok && prev.uid !== uid)
      return { e, holder: prev, ids: [], what: 'session' };
    return undefined;
  }

  check(s: Suspect): void {
    const route = routePattern(s.e.method, s.e.path);
    const asked = this.#asked.get(route) ?? 0;
    if (asked >= MAX_ASKS_PER_ROUTE) return;
    this.#asked.set(route, asked + 1);
    this.#ctx.track(this.#check(s, route));
  }

  async #check({ e, holder, ids, what }: Suspect, route: string): Promise<void> {
    const { prober, instances, redactor } = this.#ctx;
    const uid = e.instance?.uid ?? -1;
    const answers: string[] = [];
    let keeper: { uid: number; name: string; status: number } | undefined;
    if (safeMethod(e.method) && e.replayHeaders) {
      for (const other of prober.others(e.type, uid)) {
        const again = await prober.probe(e.type, other.uid, e.method, e.path, e.replayHeaders);
        if (!again) continue;
        answers.push(`${other.name} → ${again.status}`);
        if (okStatus(again.status, again.location))
          keeper ??= { uid: other.uid, name: other.name, status: again.status };
      }
    }
    const gone = instances.ended(holder.uid);
    let heldBy: string;
    let verdict: string;
    if (keeper) {
      heldBy = instances.describe(keeper.uid, keeper.name);
      verdict = `asked every other instance the same request: ${answers.join(', ')}: only ${keeper.name} still knows it`;
    } else if (gone) {
      const pid = instances.pid(holder.uid);
      heldBy = instances.describe(holder.uid, holder.name);
      verdict = `${holder.name}${pid === undefined ? '' : ` (pid ${pid})`} was ${gone.replace(/ \(.*/, '')} before this request${answers.length > 0 ? ` and no instance knows it now (${answers.join(', ')})` : ''}: the state died with ${pid === undefined ? 'that process' : `pid ${pid}`}`;
    } else if (answers.length === 0 && what === 'session' && !safeMethod(e.method)) {
      // a refused POST cannot be sent again to confirm; the client's session did work a moment ago
      heldBy = instances.describe(holder.uid, holder.name);
      verdict = `not confirmed (a ${e.method} is not sent twice), but ${holder.name} accepted the same credentials just before`;
    } else return;
    const after = e.afterRestart ? ` after ${holder.name} was restarted` : ` after a hop from ${holder.name}`;
    const created = what === 'object' ? 'created by' : 'previous';
    const explained =
      what === 'object'
        ? this.#ctx.local.explain(
            keeper?.uid ?? holder.uid,
            ids.length > 0 ? ids : pathSegments(e.path),
            holder.request,
            holder.at,
          )
        : undefined;
    this.#ctx.raise({
      kind: what === 'object' ? 'object-lost' : 'session-lost',
      type: e.type,
      instances: [holder.name, e.instance?.name ?? '?'],
      route,
      evidence: [
        `${created}: ${summary(redactor, holder.request)}`,
        `then${after}: ${summary(redactor, e)}`,
        verdict,
        ...(explained ? [`where: ${explained.line}`] : []),
      ],
      hint:
        what === 'object'
          ? objectHint(this.#ctx.stack, explained?.inTempDir ?? false)
          : sessionHint(
              this.#ctx.stack,
              e.sessionCookies.map(([name]) => name),
              e.authorization,
            ),
      state:
        what === 'object'
          ? `${explained?.inTempDir ? 'a file in the temp dir' : 'a created object'}${ids[0] ? ` (${redactor.text(ids[0])})` : ''}`
          : e.sessionCookies.length > 0
            ? `the session (${e.sessionCookies.map(([name]) => name).join(', ')})`
            : 'the login (Authorization token)',
      heldBy,
    });
  }
}
