// One upgrade (WebSocket, or any protocol switch) through the router: held while no instance is ready (the
// socket keeps flowing so a client that leaves is seen), spliced to one instance, reported, and its first
// messages told as events so the detector sees where broadcasts go.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { ambiguousHost } from './headers.js';
import { proxyUpgrade } from './proxy-upgrade.js';
import type { RouteContext } from './route-context.js';
import { WAITING_CLIENT_LEFT } from './route-request.js';
import type { Upstream } from './upstream.js';

const MAX_TOLD_MESSAGES = 500;
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';
const UNAVAILABLE = 'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';

export async function routeUpgrade(c: RouteContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  socket.on('error', () => socket.destroy());
  if (ambiguousHost(req)) {
    socket.end(BAD_REQUEST);
    return;
  }
  const client = c.client(req);
  const previous = c.balancer.previous(client);
  const started = c.clock.now();
  const base = { req, client, method: req.method ?? 'GET', path: req.url ?? '/', started, previous, retried: false };
  // while it waits the socket flows, or its FIN would go unread and a client that left would be waited
  // for: what the client sends early is kept and goes ahead of the rest
  const early: Buffer[] = [];
  const keep = (chunk: Buffer): number => early.push(chunk);
  const left = (): void => void socket.destroy();
  socket.on('data', keep).once('end', left);
  const upstream = await c.pool.acquire(client, new Set(), socket, c.readyTimeoutMs);
  socket.off('data', keep).off('end', left).pause();
  if (early.length > 0) head = Buffer.concat([head, ...early]);
  if (socket.destroyed) return c.report({ ...base, upstream: undefined, status: 499, error: WAITING_CLIENT_LEFT });
  if (!upstream) {
    if (socket.writable) socket.end(UNAVAILABLE);
    socket.destroy();
    c.report({ ...base, upstream: undefined, status: 503, error: `no ${c.type} instance was ready` });
    return;
  }
  c.balancer.remember(client, upstream.uid);
  upstream.begin();
  const name = c.instanceHeader ? upstream.ref.name : undefined;
  const target = { host: c.upstreamHost, port: upstream.port, name };
  const tell = teller(c, upstream, base.path);
  const idle = c.socketIdleTimeoutMs;
  const result = await proxyUpgrade(req, socket, head, target, c.forward(req), tell, idle);
  c.report({ ...base, upstream, status: result.status, error: result.error });
  if (result.status === 101) tell('open');
  await result.closed;
  if (result.status === 101) tell('close');
  upstream.end();
}

// The first messages of each spliced connection, as events: enough to see where broadcasts go.
function teller(
  c: RouteContext,
  upstream: Upstream,
  path: string,
): (direction: 'in' | 'out' | 'open' | 'close') => void {
  const connection = c.nextConnection();
  let told = 0;
  return (direction) => {
    if (told++ < MAX_TOLD_MESSAGES || direction === 'close')
      c.bus.emit({
        kind: 'ws:message',
        type: c.type,
        instance: upstream.ref,
        connection,
        path,
        direction,
      });
  };
}
