// The reverse proxy of one routed type: takes each request to an instance the pool picks, retries what is
// safe to retry, splices WebSockets, and reports every request as an event.
import type { EventBus } from '../events/bus.js';
import type { EventOf, InstanceRef } from '../events/types.js';
import type { ExchangeSink } from '../har/exchange.js';
import { realClock, type Clock } from '../shared/clock.js';
import { clientKey } from '../shared/client-id.js';
import type { Balancer } from './balancer.js';
import { exchangeOf } from './record.js';
import { probeInstance, type ProbeResponse } from './probe.js';
import type { RouteContext } from './route-context.js';
import { routeRequest } from './route-request.js';
import { routeUpgrade } from './route-upgrade.js';
import { requestDone, type Routed } from './request-report.js';
import { RouterServer } from './router-server.js';
import { UpstreamPool } from './upstream-pool.js';

export type { ProbeResponse } from './probe.js';

export interface RouterOptions {
  type: string;
  host: string;
  port: number;
  /** how long a request waits for a ready instance before a 503 */
  readyTimeoutMs: number;
  instanceHeader: boolean;
  /** --upstream-timeout: the longest silence from an instance before a 504 (0: none) */
  upstreamTimeoutMs: number;
  /** --socket-idle-timeout: a spliced (WebSocket) connection silent this long is closed (0: never) */
  socketIdleTimeoutMs: number;
  balancer: Balancer;
  bus: EventBus;
  clock?: Clock;
  /** `start --record`: every exchange, whole, goes here */
  recorder?: ExchangeSink;
}

export class Router {
  readonly #o: RouterOptions;
  readonly #clock: Clock;
  readonly #server: RouterServer;
  readonly #pool: UpstreamPool;
  /** where instances listen: the router's own host, or loopback when it listens on every interface */
  readonly #upstreamHost: string;
  readonly #route: RouteContext;
  #nextUpgrade = 0;
  #port: number;

  constructor(options: RouterOptions) {
    this.#o = options;
    this.#port = options.port;
    this.#clock = options.clock ?? realClock;
    this.#upstreamHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
    this.#pool = new UpstreamPool(this.#upstreamHost, options.balancer, this.#clock);
    this.#server = new RouterServer(
      (req, res) => void routeRequest(this.#route, req, res),
      (req, socket, head) => void routeUpgrade(this.#route, req, socket, head),
    );
    this.#route = {
      ...{ type: options.type, pool: this.#pool, balancer: options.balancer, bus: options.bus, clock: this.#clock },
      ...{ readyTimeoutMs: options.readyTimeoutMs, upstreamTimeoutMs: options.upstreamTimeoutMs },
      ...{ socketIdleTimeoutMs: options.socketIdleTimeoutMs, instanceHeader: options.instanceHeader },
      upstreamHost: this.#upstreamHost,
      client: (req) => clientKey(req.headers, this.#server.connectionId(req.socket)),
      forward: (req) => ({
        clientAddress: this.#server.peerAddress(req.socket),
        proto: 'http',
        host: req.headers.host,
      }),
      report: (routed) => this.#report(routed),
      recorder: options.recorder,
      connectionOf: (req) => this.#server.connectionId(req.socket),
      nextConnection: () => ++this.#nextUpgrade,
    };
  }

  get url(): string {
    return `http://${this.#o.host === '0.0.0.0' ? 'localhost' : this.#o.host}:${this.#port}`;
  }

  async listen(): Promise<void> {
    this.#port = await this.#server.listen(this.#o.host, this.#o.port, this.#o.type);
    this.#o.bus.emit({ kind: 'router:listening', type: this.#o.type, url: this.url });
  }

  add(ref: InstanceRef, port: number): void {
    this.#pool.add(ref, port);
  }

  // The type is crash looping and no longer restarted: held requests and new ones get a 503 that says so.
  crashLooping(why: string, lastLines: readonly string[]): void {
    const output = lastLines.length > 0 ? ['last output:', ...lastLines.map((line) => `  ${line}`)] : [];
    this.#pool.crashLooping(
      [`every ${this.#o.type} instance is crash looping (${why}) and is no longer restarted`, ...output].join('\n'),
    );
  }

  drain(uid: number): Promise<void> {
    return this.#pool.drain(uid);
  }

  inFlight(uid: number): number {
    return this.#pool.get(uid)?.inFlight ?? 0;
  }

  remove(uid: number): void {
    this.#pool.remove(uid);
  }

  others(uid: number): InstanceRef[] {
    return this.#pool.others(uid);
  }

  alive(uid: number): boolean {
    return this.#pool.get(uid) !== undefined;
  }

  probe(
    uid: number,
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
  ): Promise<ProbeResponse | undefined> {
    const upstream = this.#pool.get(uid);
    return upstream ? probeInstance(upstream, method, path, headers) : Promise.resolve(undefined);
  }

  async close(): Promise<void> {
    this.#pool.close();
    await this.#server.close();
  }

  /** made once, not per request */
  readonly #retired = (uid: number): boolean => this.#pool.retired(uid);

  #report(r: Routed): EventOf<'request:done'> {
    const malformed = r.status === 499 ? this.#server.malformed(r.req.socket) : undefined;
    const context = { type: this.#o.type, now: performance.now(), retired: this.#retired, malformed };
    const { event, nextKey } = requestDone(r, context);
    if (nextKey !== undefined && r.upstream !== undefined) this.#o.balancer.remember(nextKey, r.upstream.uid);
    this.#o.bus.emit(event);
    // an upgrade is recorded when it closes, with its messages
    if (this.#o.recorder && r.body !== undefined)
      this.#o.recorder.add(exchangeOf(r, event, this.#route.connectionOf(r.req)));
    return event;
  }
}
