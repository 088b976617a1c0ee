import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import type { EventBus } from '../events/bus.js';
import type { InstanceRef } from '../events/types.js';
import { UserError } from '../errors.js';
import type { Balancer } from './balancer.js';
import { clientKey, keyAfterResponse, sessionCookies } from '../shared/client-id.js';
import { ambiguousHost, type ForwardInfo } from './headers.js';
import { hasNoBody, proxyAttempt, readBody, type ResponseFacts } from './proxy-http.js';
import { proxyUpgrade } from './proxy-upgrade.js';
import { Upstream } from './upstream.js';

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
  now?: () => number;
}

interface Waiter {
  resolve: (upstream: Upstream | undefined) => void;
  exclude: ReadonlySet<number>;
  client: string;
}

const MAX_ATTEMPTS = 3;
const MAX_TOLD_MESSAGES = 500;

export interface ProbeResponse {
  status: number;
  body: string;
  contentType: string;
  setCookies: Array<[string, string]>;
  location: string | undefined;
}

const parseSetCookie = (header: string): [string, string] => {
  const pair = header.split(';')[0] ?? '';
  const eq = pair.indexOf('=');
  return eq === -1 ? [pair.trim(), ''] : [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
};

const sample = (facts: ResponseFacts | undefined): Buffer | undefined =>
  facts === undefined || facts.sample.length === 0
    ? undefined
    : facts.sample.length === 1
      ? facts.sample[0]
      : Buffer.concat(facts.sample);

const byName = (a: Upstream, b: Upstream): number =>
  a.ref.name.localeCompare(b.ref.name, 'en', { numeric: true }) || a.uid - b.uid;

// The reverse proxy of one routed type: picks an instance per request (balancer), holds requests while
// none is ready, retries what is safe to retry, and reports every request as an event.
const WAITING_CLIENT_LEFT = 'client closed the connection while waiting for an instance';

export class Router {
  readonly #o: RouterOptions;
  readonly #server: Server;
  readonly #upstreams = new Map<number, Upstream>();
  /** instances that were restarted or stopped: a client's next request "comes after a restart" */
  readonly #retired = new Set<number>();
  readonly #waiters: Waiter[] = [];
  readonly #sockets = new Set<Duplex>();
  readonly #connectionIds = new WeakMap<object, number>();
  #nextConnection = 0;
  #nextUpgrade = 0;
  readonly #now: () => number;
  #readyCache: Upstream[] | undefined;
  /** set once every instance of the type crash-loops: requests are answered at once, not held */
  #looping: string | undefined;
  /** client sockets whose bytes stopped parsing, with llhttp's code */
  readonly #malformed = new WeakMap<Duplex, string>();

  constructor(options: RouterOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#server = createServer({ keepAlive: true }, (req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 5000;
    this.#server.on('connection', (socket: Socket) => {
      this.#connectionIds.set(socket, ++this.#nextConnection);
      this.#track(socket);
    });
    this.#server.on(
      'upgrade',
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.#upgrade(req, socket, head),
    );
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      // a request whose head was fine may still break in its body: its report must say 400, not "client closed"
      if (error.code !== 'HPE_INVALID_EOF_STATE' && error.code !== 'ECONNRESET')
        this.#malformed.set(socket, error.code ?? 'parse error');
      const status =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? '408 Request Timeout'
            : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      socket.destroy();
    });
  }

  get url(): string {
    return `http://${this.#o.host === '0.0.0.0' ? 'localhost' : this.#o.host}:${this.#o.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
          reject(
            new UserError(
              'PORT_IN_USE',
              `port ${this.#o.port} (the router for ${this.#o.type}) is ${error.code === 'EACCES' ? 'not allowed' : 'already in use'}`,
              {
                where: `${this.#o.host}:${this.#o.port}`,
                hint: 'stop what is listening there, or choose another base port with -p (the type on Procfile entry i uses base + 100*i)',
              },
            ),
          );
        } else reject(error);
      };
      this.#server.once('error', onError);
      this.#server.listen(this.#o.port, this.#o.host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    this.#o.bus.emit({ kind: 'router:listening', type: this.#o.type, url: this.url });
  }

  // An instance became ready: it joins the pool, and held requests go to it.
  add(ref: InstanceRef, port: number): void {
    const upstream = new Upstream(ref, this.#o.host === '0.0.0.0' ? '127.0.0.1' : this.#o.host, port);
    this.#upstreams.set(ref.uid, upstream);
    this.#readyCache = undefined;
    this.#looping = undefined;
    for (const waiter of this.#waiters.splice(0)) {
      const next = this.#pick(waiter.client, waiter.exclude);
      if (next) waiter.resolve(next);
      else this.#waiters.push(waiter);
    }
  }

  // The type is crash looping and no longer restarted: held requests and new ones get a 503 that says so.
  crashLooping(why: string, lastLines: readonly string[]): void {
    this.#looping = [
      `every ${this.#o.type} instance is crash looping (${why}) and is no longer restarted`,
      ...(lastLines.length > 0 ? ['last output:', ...lastLines.map((line) => `  ${line}`)] : []),
    ].join('\n');
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

  inFlight(uid: number): number {
    return this.#upstreams.get(uid)?.inFlight ?? 0;
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

  async close(): Promise<void> {
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(undefined);
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    for (const upstream of this.#upstreams.values()) upstream.close();
    this.#upstreams.clear();
    await closed;
  }

  #track(socket: Duplex): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  #pick(client: string, exclude: ReadonlySet<number>): Upstream | undefined {
    return this.#o.balancer.pick(this.#ready(), client, exclude);
  }

  // In instance order, not readiness order, so that a seed replays the same choices; cached between changes.
  #ready(): Upstream[] {
    this.#readyCache ??= [...this.#upstreams.values()].filter((u) => !u.draining).sort(byName);
    return this.#readyCache;
  }

  // A ready instance now, or the first one to become ready within the ready timeout.
  // An instance for the client, waiting up to --ready-timeout for one; gives up at once when the client
  // leaves (`from` closes), so nothing is held for a request nobody waits for.
  #acquire(client: string, exclude: ReadonlySet<number>, from: Duplex | ServerResponse): Promise<Upstream | undefined> {
    const now = this.#pick(client, exclude);
    if (now || this.#looping !== undefined || from.destroyed) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (upstream: Upstream | undefined): void => {
        clearTimeout(timer);
        from.off('close', gone);
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        resolve(upstream);
      };
      const gone = (): void => done(undefined);
      const waiter: Waiter = { client, exclude, resolve: done };
      const timer = setTimeout(gone, this.#o.readyTimeoutMs);
      timer.unref();
      from.once('close', gone);
      this.#waiters.push(waiter);
    });
  }

  #forward(req: IncomingMessage): ForwardInfo {
    return { clientAddress: req.socket.remoteAddress ?? '127.0.0.1', proto: 'http', host: req.headers.host };
  }

  #client(req: IncomingMessage): string {
    return clientKey(req.headers, this.#connectionIds.get(req.socket) ?? 0);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (ambiguousHost(req)) {
      res.shouldKeepAlive = false;
      this.#fail(res, 400, 'more than one Host header\n');
      return;
    }
    const started = this.#now();
    const client = this.#client(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const previous = this.#o.balancer.previous(client);
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    let body: Buffer | null | 'stream' = null;
    try {
      if (!hasNoBody(req)) body = await readBody(req);
    } catch {
      this.#report({
        req,
        client,
        method,
        path,
        started,
        previous,
        upstream: undefined,
        status: 499,
        retried: false,
        error: 'client aborted while sending the body',
      });
      return;
    }
    const exclude = new Set<number>();
    let retried = false;
    let resets = 0;
    let lastError = 'no instance became ready';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const upstream = this.#pick(client, exclude) ?? (await this.#acquire(client, exclude, res));
      if (res.destroyed) {
        this.#report({
          req,
          client,
          method,
          path,
          started,
          previous,
          upstream: undefined,
          status: 499,
          retried,
          error: WAITING_CLIENT_LEFT,
        });
        return;
      }
      if (!upstream) break;
      this.#o.balancer.remember(client, upstream.uid);
      upstream.begin();
      const result = await proxyAttempt({
        req,
        res,
        upstream,
        body,
        forward: this.#forward(req),
        instanceHeader: this.#o.instanceHeader,
        mayRetryReset: resets === 0,
        idleTimeoutMs: this.#o.upstreamTimeoutMs,
      });
      upstream.end();
      if (result.outcome === 'retry') {
        retried = true;
        lastError = `${upstream.ref.name}: ${result.error}`;
        if (result.reason === 'refused') exclude.add(upstream.uid);
        else resets++;
        continue;
      }
      if (result.outcome === 'failed' && (result.status === 502 || result.status === 504)) {
        this.#fail(
          res,
          result.status,
          `amnesia: ${this.#o.type} instance ${upstream.ref.name} ${result.status === 504 ? 'timed out' : 'failed'}: ${result.error}\n`,
        );
      }
      this.#report({
        req,
        client,
        method,
        path,
        started,
        previous,
        upstream,
        status: result.status,
        retried,
        error: result.outcome === 'failed' ? result.error : undefined,
        ...(result.outcome === 'done' ? { facts: result.facts } : {}),
      });
      return;
    }
    const status = retried ? 502 : 503;
    const why = retried
      ? lastError
      : (this.#looping ?? `no ${this.#o.type} instance was ready within ${this.#o.readyTimeoutMs / 1000}s`);
    this.#fail(res, status, `amnesia: ${why}\n`);
    this.#report({ req, client, method, path, started, previous, upstream: undefined, status, retried, error: why });
  }

  #fail(res: ServerResponse, status: number, text: string): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.#track(socket);
    socket.on('error', () => socket.destroy());
    if (ambiguousHost(req)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const started = this.#now();
    const client = this.#client(req);
    const previous = this.#o.balancer.previous(client);
    // while it waits the socket flows, or its FIN would go unread and a client that left would be waited
    // for: what the client sends early is kept and goes ahead of the rest
    const early: Buffer[] = [];
    const keep = (chunk: Buffer): number => early.push(chunk);
    const left = (): void => void socket.destroy();
    socket.on('data', keep).once('end', left);
    const upstream = await this.#acquire(client, new Set(), socket);
    socket.off('data', keep).off('end', left).pause();
    if (early.length > 0) head = Buffer.concat([head, ...early]);
    const base = { req, client, method: req.method ?? 'GET', path: req.url ?? '/', started, previous, retried: false };
    if (socket.destroyed) {
      this.#report({ ...base, upstream: undefined, status: 499, error: WAITING_CLIENT_LEFT });
      return;
    }
    if (!upstream) {
      if (socket.writable)
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      socket.destroy();
      this.#report({ ...base, upstream: undefined, status: 503, error: `no ${this.#o.type} instance was ready` });
      return;
    }
    this.#o.balancer.remember(client, upstream.uid);
    upstream.begin();
    const target = {
      host: this.#o.host === '0.0.0.0' ? '127.0.0.1' : this.#o.host,
      port: upstream.port,
      name: this.#o.instanceHeader ? upstream.ref.name : undefined,
    };
    const connection = ++this.#nextUpgrade;
    let told = 0;
    const path = base.path;
    const tell = (direction: 'in' | 'out' | 'open' | 'close'): void => {
      // the first messages of each connection are enough to see where broadcasts go
      if (told++ < MAX_TOLD_MESSAGES || direction === 'close')
        this.#o.bus.emit({
          kind: 'ws:message',
          type: this.#o.type,
          instance: upstream.ref,
          connection,
          path,
          direction,
        });
    };
    const result = await proxyUpgrade(req, socket, head, target, this.#forward(req), tell, this.#o.socketIdleTimeoutMs);
    this.#report({ ...base, upstream, status: result.status, error: result.error });
    if (result.status === 101) tell('open');
    await result.closed;
    if (result.status === 101) tell('close');
    upstream.end();
  }

  #report(r: {
    req: IncomingMessage;
    client: string;
    method: string;
    path: string;
    started: number;
    previous: number | undefined;
    upstream: Upstream | undefined;
    status: number;
    retried: boolean;
    error: string | undefined;
    facts?: ResponseFacts;
  }): void {
    const malformed = r.status === 499 ? this.#malformed.get(r.req.socket) : undefined;
    const uid = r.upstream?.uid;
    const safe = r.method === 'GET' || r.method === 'HEAD';
    const sent = sessionCookies(r.req.headers.cookie);
    const setCookies = (r.facts?.setCookie ?? []).map(parseSetCookie);
    const next = keyAfterResponse(sent, setCookies);
    if (next !== undefined && uid !== undefined) this.#o.balancer.remember(next, uid);
    this.#o.bus.emit({
      kind: 'request:done',
      type: this.#o.type,
      instance: r.upstream?.ref,
      client: r.client,
      method: r.method,
      path: r.path,
      status: malformed === undefined ? r.status : 400,
      durationMs: this.#now() - r.started,
      hop: r.previous !== undefined && uid !== undefined && r.previous !== uid,
      afterRestart: r.previous !== undefined && this.#retired.has(r.previous),
      retried: r.retried,
      error: malformed === undefined ? r.error : `malformed request body (${malformed}): answered 400 and closed`,
      sessionCookies: sent,
      authorization: r.req.headers.authorization !== undefined,
      setCookies,
      location: r.facts?.location,
      contentType: r.facts?.contentType,
      bodySample: sample(r.facts),
      replayHeaders: safe ? (r.req.headers as Record<string, string | string[]>) : undefined,
    });
  }

  /** the other instances of this type that take requests, in name order */
  others(uid: number): InstanceRef[] {
    return this.#ready()
      .filter((u) => u.uid !== uid)
      .map((u) => u.ref);
  }

  alive(uid: number): boolean {
    return this.#upstreams.has(uid);
  }

  // The same (safe) request sent straight to one instance, for the detector's confirmations and mirror.
  async probe(
    uid: number,
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
  ): Promise<ProbeResponse | undefined> {
    const upstream = this.#upstreams.get(uid);
    if (!upstream) return undefined;
    upstream.begin();
    try {
      const forwarded = { ...headers };
      delete forwarded['connection'];
      delete forwarded['keep-alive'];
      const res = await upstream.pool.request({
        method,
        path,
        headers: forwarded,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const body = await res.body.text();
      const setCookie = res.headers['set-cookie'];
      return {
        status: res.statusCode,
        body,
        contentType: String(res.headers['content-type'] ?? ''),
        setCookies: (setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]).map(
          parseSetCookie,
        ),
        location: res.headers['location'] === undefined ? undefined : String(res.headers['location']),
      };
    } catch {
      return undefined;
    } finally {
      upstream.end();
    }
  }
}
