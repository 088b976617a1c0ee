// One upgrade (WebSocket, or any protocol switch) through the router: held while no instance is ready (the
// socket keeps flowing so a client that leaves is seen), spliced to one instance, reported, and its first
// messages told as events so the detector sees where broadcasts go.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { RECORD_BODY_LIMIT, RECORD_WS_MESSAGES } from '../har/exchange.js';
import type { WebSocketMessage } from '../har/har.js';
import { ambiguousHost } from './headers.js';
import { proxyUpgrade } from './proxy-upgrade.js';
import { exchangeOf } from './record.js';
import type { Routed } from './request-report.js';
import type { RouteContext } from './route-context.js';
import { WAITING_CLIENT_LEFT } from './route-request.js';
import type { Upstream } from './upstream.js';
import { MessageReader } from './ws-messages.js';

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
  // performance.now(), as an HTTP request's: the report's duration is measured against it
  const started = performance.now();
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
  if (socket.destroyed) {
    c.report({ ...base, upstream: undefined, status: 499, error: WAITING_CLIENT_LEFT });
    return;
  }
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
  const messages = c.recorder ? new MessageLog() : undefined;
  const tap = messages ? (direction: 'in' | 'out', chunk: Buffer) => messages.push(direction, chunk) : undefined;
  const result = await proxyUpgrade(req, socket, head, target, c.forward(req), tell, idle, tap);
  const routed: Routed = { ...base, upstream, status: result.status, error: result.error };
  const event = c.report(routed);
  if (result.status === 101) tell('open');
  await result.closed;
  if (result.status === 101) tell('close');
  upstream.end();
  if (c.recorder && messages) {
    const exchange = exchangeOf({ ...routed, body: null }, event, c.connectionOf(req));
    exchange.webSocket = messages.done();
    exchange.marks.closedAt = Date.now();
    c.recorder.add(exchange);
  }
}

// Both directions' messages, as Chrome's HAR export has them: `send` from the client, `receive` to it.
class MessageLog {
  readonly #in = new MessageReader(RECORD_BODY_LIMIT);
  readonly #out = new MessageReader(RECORD_BODY_LIMIT);
  readonly #messages: WebSocketMessage[] = [];
  #dropped = 0;

  push(direction: 'in' | 'out', chunk: Buffer): void {
    // seconds, to the microsecond as Chrome writes them: two sockets' messages within a millisecond keep their order
    const time = (performance.timeOrigin + performance.now()) / 1000;
    for (const { opcode, data } of (direction === 'in' ? this.#in : this.#out).push(chunk)) {
      if (this.#messages.length >= RECORD_WS_MESSAGES) {
        this.#dropped++;
        continue;
      }
      const type = direction === 'in' ? 'send' : 'receive';
      this.#messages.push({ type, time, opcode, data: data.toString(opcode === 1 ? 'utf8' : 'base64') });
    }
  }

  done(): { messages: WebSocketMessage[]; dropped: number } {
    return { messages: this.#messages, dropped: this.#dropped };
  }
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
