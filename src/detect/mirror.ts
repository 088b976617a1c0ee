import type { ProbeResult, RuleContext } from './context.js';
import { brief, type Request } from './evidence.js';
import { differing, fields, NoiseFloor } from './divergence.js';
import { cacheHint } from './hints.js';
import { routePattern } from './route-pattern.js';

const MAX_MIRRORS_PER_ROUTE = 40;
const MAX_QUEUED = 8;
/** slower answers (streams, reports) are not mirrored: each mirror asks every instance twice more */
const MAX_MIRRORED_MS = 500;

// A safe request asked again of the instance that answered it, of every other instance, and of the first
// again: a field that differs across instances but not within one is state one of them keeps (a per-process
// cache, a counter). The last write to the same path says which copy is stale.
export class Mirror {
  readonly #ctx: RuleContext;
  readonly #noise = new NoiseFloor();
  readonly #mirrored = new Map<string, number>();
  readonly #writes = new Map<string, Request>();
  /** mirrors run one after another, so they do not pile load on the app */
  #chain: Promise<void> = Promise.resolve();
  #queued = 0;

  constructor(ctx: RuleContext) {
    this.#ctx = ctx;
  }

  #writeCount = 0;

  /** a write to a path: a later read of it that differs between instances names it */
  wrote(e: Request): void {
    this.#writeCount++;
    if (e.status < 400) this.#writes.set(e.path.split('?')[0] ?? '/', e);
  }

  queue(e: Request): void {
    if (this.#queued >= MAX_QUEUED || e.durationMs > MAX_MIRRORED_MS || e.contentType?.includes('event-stream')) return;
    this.#queued++;
    this.#chain = this.#chain.then(() => this.#mirror(e)).finally(() => this.#queued--);
    this.#ctx.track(this.#chain);
  }

  async #mirror(e: Request): Promise<void> {
    const route = routePattern(e.method, e.path);
    const seen = this.#mirrored.get(route) ?? 0;
    const headers = e.replayHeaders;
    if (seen >= MAX_MIRRORS_PER_ROUTE || !e.instance || !headers) return;
    const { prober, redactor, instances } = this.#ctx;
    const others = prober.others(e.type, e.instance.uid);
    if (others.length === 0) return;
    this.#mirrored.set(route, seen + 1);
    const ask = (uid: number): Promise<ProbeResult | undefined> => prober.probe(e.type, uid, e.method, e.path, headers);
    // A, then the others, then A again: whatever drifts with time differs within A as much as across
    const writes = this.#writeCount;
    const a = await ask(e.instance.uid);
    const answers: Array<{ uid: number; name: string; r: ProbeResult }> = [];
    for (const other of others) {
      const r = await ask(other.uid);
      if (r) answers.push({ ...other, r });
    }
    const again = await ask(e.instance.uid);
    // a write while the instances were asked changes answers for a reason of its own: neither noise nor state
    if (!a || !again || answers.length === 0 || this.#writeCount !== writes) return;
    const f = (r: ProbeResult): Map<string, string> => fields(r.status, r.contentType, r.body);
    const fa = f(a);
    const noise = differing(fa, f(again));
    const raw = [...new Set(answers.flatMap(({ r }) => differing(fa, f(r))))];
    const standing = this.#noise.record(route, raw, noise);
    // a status that differs (200 here, 401 or 404 there) is a session or object on one instance: the
    // split-state rule names it, with the right fix
    if (standing.length === 0 || standing.includes('status')) return;
    const key = standing[0] ?? 'status';
    const value = (r: ProbeResult): string => redactor.text(f(r).get(key) ?? '(absent)').slice(0, 200);
    const odd = answers.find(({ r }) => value(r) !== value(a)) ?? answers[0];
    if (!odd) return;
    const write = this.#writes.get(e.path.split('?')[0] ?? '/');
    const fresh = write?.instance?.name;
    // the instance that served the last write invalidated its own copy: a different value elsewhere is stale
    const stale =
      fresh === e.instance.name ? odd : fresh === odd.name ? { uid: e.instance.uid, name: e.instance.name } : undefined;
    this.#ctx.raise({
      kind: 'divergence',
      type: e.type,
      instances: [e.instance.name, odd.name],
      route,
      evidence: [
        `${e.method} ${e.path}: ${key} is ${value(a)} on ${e.instance.name} (twice in a row), but ${value(odd.r)} on ${odd.name}`,
        `fields above the noise: ${standing.slice(0, 5).join(', ')}`,
        ...(write
          ? [`last change: ${brief(redactor, write)}${stale ? `; ${stale.name} still answers with its own copy` : ''}`]
          : []),
      ],
      hint: cacheHint(this.#ctx.stack),
      state: 'a cached value (per-process copy)',
      heldBy: stale
        ? instances.describe(stale.uid, stale.name)
        : `${instances.describe(e.instance.uid, e.instance.name)} and ${instances.describe(odd.uid, odd.name)}, each its own copy`,
    });
  }
}
