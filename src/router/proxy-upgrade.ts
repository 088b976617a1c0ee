import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import { upstreamHeaders, type ForwardInfo } from './headers.js';
import { FrameCounter } from './ws-frames.js';

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

export interface UpgradeResult {
  /** the status line's code from the instance, or 502 when it could not be reached */
  status: number;
  error: string | undefined;
  /** resolves when both sockets are closed */
  closed: Promise<void>;
}

// A WebSocket (or other Upgrade) request spliced byte for byte to one instance. Only the response head is
// read, to add X-Amnesia-Instance; after it both directions are piped, and either side closing or failing
// destroys both sockets, so a refused or broken upgrade never leaves a socket open.
export function proxyUpgrade(
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  target: { host: string; port: number; name: string | undefined },
  forward: ForwardInfo,
  /** told of each WebSocket message once the upgrade succeeded: `in` from the client, `out` to it */
  onMessage: ((direction: 'in' | 'out' | 'close') => void) | undefined,
  /** a spliced connection with no byte either way for this long is closed (0: never) */
  idleTimeoutMs = 0,
  /** every byte after the handshake, `in` from the client (for a recording) */
  tap?: (direction: 'in' | 'out', chunk: Buffer) => void,
): Promise<UpgradeResult> {
  return new Promise((resolve) => {
    const upstream: Socket = connect({ host: target.host, port: target.port });
    let settled = false;
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    let open = 2;
    const onClose = (): void => {
      open--;
      if (open === 0) closedResolve();
    };
    const destroyBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', onClose);
    upstream.once('close', onClose);
    // the client left before the instance answered: its own doing, not the instance's failure
    const left = (): void => {
      if (settled) return;
      settle(499, 'client closed the connection');
      destroyBoth();
    };
    client.once('end', left);
    client.once('close', left);
    client.on('error', destroyBoth);
    client.once('close', destroyBoth);
    upstream.once('close', destroyBoth);
    const settle = (status: number, error: string | undefined): void => {
      if (settled) return;
      settled = true;
      resolve({ status, error, closed });
    };
    upstream.on('error', (error) => {
      if (!settled) {
        if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        settle(502, `${(error as { code?: string }).code ?? error.name}: ${error.message}`);
      }
      destroyBoth();
    });
    upstream.once('connect', () => {
      const headers = upstreamHeaders(req.headers, forward, true);
      headers['connection'] = 'Upgrade';
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (const [name, value] of Object.entries(headers)) {
        for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
    });
    let pending = Buffer.alloc(0);
    const onHead = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      const end = pending.indexOf(HEAD_END);
      if (end === -1) {
        if (pending.length > MAX_HEAD) {
          settle(502, 'response head too large');
          destroyBoth();
        }
        return;
      }
      upstream.off('data', onHead);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(pending.subarray(0, 16).toString('latin1'))?.[1] ?? 502);
      const named = target.name ? Buffer.from(`\r\nx-amnesia-instance: ${target.name}`) : Buffer.alloc(0);
      client.write(Buffer.concat([pending.subarray(0, end), named, pending.subarray(end)]));
      settle(status, undefined);
      if (status === 101 && onMessage) count(pending.subarray(end + HEAD_END.length), onMessage);
      if (status === 101 && tap) {
        const rest = pending.subarray(end + HEAD_END.length);
        if (rest.length > 0) tap('out', rest);
        upstream.on('data', (chunk: Buffer) => tap('out', chunk));
        client.on('data', (chunk: Buffer) => tap('in', chunk));
      }
      // every byte read on one socket is written on the other, so one socket's idleness is the pair's;
      // WebSocket pings count, so a live connection that pings is never cut
      if (idleTimeoutMs > 0) {
        upstream.setTimeout(idleTimeoutMs);
        upstream.once('timeout', destroyBoth);
      }
      upstream.pipe(client);
    };
    const count = (rest: Buffer, tell: (direction: 'in' | 'out' | 'close') => void): void => {
      const inbound = new FrameCounter();
      const outbound = new FrameCounter();
      let closing = false;
      const each = (direction: 'in' | 'out', n: number): void => {
        for (let i = 0; i < n; i++) tell(direction);
        // a close frame either way ends the conversation, though the sockets may linger
        if (!closing && (inbound.closed || outbound.closed)) {
          closing = true;
          tell('close');
        }
      };
      each('out', outbound.push(rest));
      upstream.on('data', (chunk: Buffer) => each('out', outbound.push(chunk)));
      client.on('data', (chunk: Buffer) => each('in', inbound.push(chunk)));
    };
    upstream.on('data', onHead);
    upstream.once('end', () => {
      if (!settled) settle(502, 'the instance closed the connection before answering');
    });
  });
}
