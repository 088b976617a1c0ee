// The routers of a run, one per routed type, and the one place that decides which instances each routes to:
// an instance joins when it is ready, leaves when it exits, and a crash-looping type is answered at once.
// The router (and undici) is loaded only when a routed type runs: a worker-only Procfile starts faster.
import type { Prober } from '../detect/context.js';
import type { ExchangeSink } from '../har/exchange.js';
import type { EventBus } from '../events/bus.js';
import type { RunEvent } from '../events/types.js';
import type { Balancer } from '../router/balancer.js';
import type { Router } from '../router/router.js';
import type { DrainHook } from '../supervisor/supervisor.js';
import type { ResolvedOptions } from './resolved-options.js';

export class RouterPool {
  readonly #routers = new Map<string, Router>();
  readonly #options: ResolvedOptions;
  readonly #balancer: Balancer;
  readonly #bus: EventBus;
  readonly #recorder: ExchangeSink | undefined;

  constructor(options: ResolvedOptions, balancer: Balancer, bus: EventBus, recorder?: ExchangeSink) {
    this.#options = options;
    this.#balancer = balancer;
    this.#bus = bus;
    this.#recorder = recorder;
  }

  async open(type: string, port: number): Promise<void> {
    const { Router } = await import('../router/router.js');
    const o = this.#options;
    const router = new Router({
      ...{ type, host: o.host, port, readyTimeoutMs: o.readyTimeoutMs, instanceHeader: o.instanceHeader },
      ...{ upstreamTimeoutMs: o.upstreamTimeoutMs, socketIdleTimeoutMs: o.socketIdleTimeoutMs },
      balancer: this.#balancer,
      bus: this.#bus,
      recorder: this.#recorder,
    });
    this.#routers.set(type, router);
    await router.listen();
  }

  async close(type: string): Promise<void> {
    await this.#routers.get(type)?.close();
    this.#routers.delete(type);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#routers.values()].map((router) => router.close()));
  }

  urls(): Map<string, string> {
    return new Map([...this.#routers].map(([type, router]) => [type, router.url]));
  }

  // Subscribed to the run's events: the pools follow the instances.
  readonly follow = (event: RunEvent): void => {
    if (event.kind === 'instance:ready' && event.port !== undefined)
      this.#routers.get(event.type)?.add(event, event.port);
    else if (event.kind === 'instance:exited') this.#routers.get(event.type)?.remove(event.uid);
    else if (event.kind === 'type:crash-looping') {
      const why = `${event.crashes} crashes within ${event.windowMs / 1000}s`;
      this.#routers.get(event.type)?.crashLooping(why, event.lastLines);
    }
  };

  /** the supervisor's restarts take an instance out of rotation here before they stop it */
  readonly drainHook: DrainHook = {
    drain: (instance) => this.#routers.get(instance.spec.type)?.drain(instance.spec.uid) ?? Promise.resolve(),
    inFlight: (instance) => this.#routers.get(instance.spec.type)?.inFlight(instance.spec.uid) ?? 0,
  };

  /** the detector's confirmations and mirror ask instances directly, through their router's pool */
  readonly prober: Prober = {
    probe: (type, uid, method, path, headers) =>
      this.#routers.get(type)?.probe(uid, method, path, headers) ?? Promise.resolve(undefined),
    alive: (type, uid) => this.#routers.get(type)?.alive(uid) ?? false,
    others: (type, uid) => this.#routers.get(type)?.others(uid) ?? [],
  };
}
