// What routing one request or one upgrade needs from its router: the pool, the options, where reports go.
import type { IncomingMessage } from 'node:http';

import type { ExchangeSink } from '../har/exchange.js';
import type { EventBus } from '../events/bus.js';
import type { EventOf } from '../events/types.js';
import type { Clock } from '../shared/clock.js';
import type { Balancer } from './balancer.js';
import type { ForwardInfo } from './headers.js';
import type { Routed } from './request-report.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface RouteContext {
  type: string;
  pool: UpstreamPool;
  balancer: Balancer;
  bus: EventBus;
  clock: Clock;
  readyTimeoutMs: number;
  upstreamTimeoutMs: number;
  socketIdleTimeoutMs: number;
  instanceHeader: boolean;
  /** where instances listen */
  upstreamHost: string;
  /** who is asking: session cookies, Authorization, else the connection */
  client(req: IncomingMessage): string;
  forward(req: IncomingMessage): ForwardInfo;
  report(routed: Routed): EventOf<'request:done'>;
  /** `start --record`: where each exchange goes, whole */
  recorder: ExchangeSink | undefined;
  /** the number of the TCP connection a request came on */
  connectionOf(req: IncomingMessage): number;
  /** a number for each spliced connection */
  nextConnection(): number;
}
