// The instances one router may send a request to: ready ones join, draining and gone ones leave, a request
// that finds none waits (up to the ready timeout, or until its client leaves), and a type whose instances
// all crash-loop is answered at once. Which instance a client gets is the balancer's choice.
import type { InstanceRef } from '../events/types.js';
import type { Clock } from '../shared/clock.js';
import type { Balancer } from './balancer.js';
import { Upstream } from './upstream.js';

/** what a waiting request watches to know its client left: the response or the upgraded socket */
export interface Leaving {
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

interface Waiter {
  resolve: (upstream: Upstream | undefined) => void;
  exclude: ReadonlySet<number>;
  client: string;
}

const byName = (a: Upstream, b: Upstream): number =>
  a.ref.name.localeCompare(b.ref.name, 'en', { numeric: true }) || a.uid - b.uid;

export class UpstreamPool {
  readonly #host: string;
  readonly #balancer: Balancer;
  readonly #clock: Clock;
  readonly #upstreams = new Map<number, Upstream>();
  /** instances that were restarted or stopped: a client's next request "comes after a restart" */
  readonly #retired = new Set<number>();
  readonly #waiters: Waiter[] = [];
  #readyCache: Upstream[] | undefined;
  /** set once every instance of the type crash-loops: requests are answered at once, not held */
  looping: string | undefined;

  constructor(host: string, balancer: Balancer, clock: Clock) {
    this.#host = host;
    this.#balancer = balancer;
    this.#clock = clock;
  }

  // An instance became ready: it joins, and held requests go to it.
  add(ref: InstanceRef, port: number): void {
    this.#upstreams.set(ref.uid, new Upstream(ref, this.#host, port));
    this.#readyCache = undefined;
    this.looping = undefined;
    for (const waiter of this.#waiters.splice(0)) {
      const next = this.pick(waiter.client, waiter.exclude);
      if (next) waiter.resolve(next);
      else this.#waiters.push(waiter);
    }
  }

  // The type is crash looping and no longer restarted: held requests get the message at once.
  crashLooping(message: string): void {
    this.looping = message;
    if (this.#ready().length > 0) return;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(undefined);
  }

  // No new requests for this instance; resolves when its in-flight ones have finished.
  drain(uid: number): Promise<void> {
    const upstream = this.#upstreams.get(uid);
    if (!upstream) return Promise.resolve();
    upstream.draining = true;
    this.#readyCache = undefined;
    this.#retired.add(uid);
    return upstream.idle();
  }

  // The instance is gone (stopped or crashed).
  remove(uid: number): void {
    const upstream = this.#upstreams.get(uid);
    this.#retired.add(uid);
    if (!upstream) return;
    this.#upstreams.delete(uid);
    this.#readyCache = undefined;
    upstream.close();
  }

  close(): void {
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(undefined);
    for (const upstream of this.#upstreams.values()) upstream.close();
    this.#upstreams.clear();
  }

  get(uid: number): Upstream | undefined {
    return this.#upstreams.get(uid);
  }

  retired(uid: number): boolean {
    return this.#retired.has(uid);
  }

  /** the other instances that take requests, in name order */
  others(uid: number): InstanceRef[] {
    return this.#ready()
      .filter((u) => u.uid !== uid)
      .map((u) => u.ref);
  }

  pick(client: string, exclude: ReadonlySet<number>): Upstream | undefined {
    return this.#balancer.pick(this.#ready(), client, exclude);
  }

  // An instance for the client, waiting up to `timeoutMs` for one; gives up at once when the client leaves,
  // so nothing is held for a request nobody waits for.
  acquire(
    client: string,
    exclude: ReadonlySet<number>,
    from: Leaving,
    timeoutMs: number,
  ): Promise<Upstream | undefined> {
    const now = this.pick(client, exclude);
    if (now || this.looping !== undefined || from.destroyed) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (upstream: Upstream | undefined): void => {
        timer.cancel();
        from.off('close', gone);
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        resolve(upstream);
      };
      const gone = (): void => done(undefined);
      const waiter: Waiter = { client, exclude, resolve: done };
      const timer = this.#clock.after(timeoutMs, gone);
      from.once('close', gone);
      this.#waiters.push(waiter);
    });
  }

  /** requests held for an instance */
  get waiting(): number {
    return this.#waiters.length;
  }

  // In instance order, not readiness order, so that a seed replays the same choices; cached between changes.
  #ready(): Upstream[] {
    this.#readyCache ??= [...this.#upstreams.values()].filter((u) => !u.draining).sort(byName);
    return this.#readyCache;
  }
}
