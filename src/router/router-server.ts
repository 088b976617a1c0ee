// The router's HTTP server: keep-alive, an id per client connection (a client without cookies is its
// connection), every socket tracked so that close() leaves none open, and bytes that do not parse answered
// with the status they deserve (400, 408, 431) and remembered, so the request's report says 400.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import { UserError } from '../errors.js';

const KEEP_ALIVE_MS = 5000;

export class RouterServer {
  readonly server: Server;
  readonly #sockets = new Set<Duplex>();
  /** per client connection: its id and peer address (the socket's getter asks the kernel each time) */
  readonly #connections = new WeakMap<object, { id: number; address: string }>();
  /** client sockets whose bytes stopped parsing, with llhttp's code */
  readonly #malformed = new WeakMap<Duplex, string>();
  #nextConnection = 0;

  constructor(
    onRequest: (req: IncomingMessage, res: ServerResponse) => void,
    onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
  ) {
    this.server = createServer({ keepAlive: true }, onRequest);
    this.server.keepAliveTimeout = KEEP_ALIVE_MS;
    this.server.on('connection', (socket: Socket) => {
      this.#connections.set(socket, { id: ++this.#nextConnection, address: socket.remoteAddress ?? '127.0.0.1' });
      this.track(socket);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.track(socket);
      onUpgrade(req, socket, head);
    });
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
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

  connectionId(socket: object): number {
    return this.#connections.get(socket)?.id ?? 0;
  }

  peerAddress(socket: object): string {
    return this.#connections.get(socket)?.address ?? '127.0.0.1';
  }

  malformed(socket: Duplex): string | undefined {
    return this.#malformed.get(socket);
  }

  track(socket: Duplex): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  // Listens (port 0: any free one), resolving with the port; or says in a user error why the port cannot be
  // had (taken, or not allowed).
  async listen(host: string, port: number, type: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') return reject(error);
        const why = error.code === 'EACCES' ? 'not allowed' : 'already in use';
        reject(
          new UserError('PORT_IN_USE', `port ${port} (the router for ${type}) is ${why}`, {
            where: `${host}:${port}`,
            hint: 'stop what is listening there, or choose another base port with -p (the type on Procfile entry i uses base + 100*i)',
          }),
        );
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
