// What routing one request or one upgrade needs from its router: the pool, the options, where reports go.
import type { IncomingMessage } from 'node:http';

import type { EventBus } from '../events/bus.js';
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
  report(routed: Routed): void;
  /** a number for each spliced connection */
  nextConnection(): number;
}
