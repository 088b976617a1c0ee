// The server side of the control socket, run by `amnesia start`: it claims the socket (a live one means
// another start runs in this root; a dead one is stale and replaced), answers each connection's one request
// from what the run's events said (InstanceRows, LogTail), and acts only through the run's controls.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';

import { UserError } from '../errors.js';
import { InstanceRows } from '../events/instance-rows.js';
import type { RunEvent } from '../events/types.js';
import type { Run } from '../shared/run-handle.js';
import { handleRequest } from './requests.js';
import { LogTail } from './log-tail.js';
import {
  controlSocketPath,
  receive,
  send,
  type ControlReply,
  type ControlRequest,
  type ProcessTable,
} from './protocol.js';

/** what a request handler reads and acts on */
export interface ControlContext {
  run: Run;
  table(): ProcessTable;
  logs: LogTail;
}

export class ControlServer {
  readonly path: string;
  /** the socket a run that did not stop left behind, removed on the way in */
  readonly removedStale: boolean;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #root: string;
  readonly #folderCreated: boolean;
  #unsubscribe: () => void = () => undefined;
  #context: ControlContext | undefined;
  /** the socket file this server made: at close, another file at the path is a next run's */
  #made = '';

  private constructor(root: string, path: string, server: Server, removedStale: boolean, folderCreated: boolean) {
    this.#root = root;
    this.path = path;
    this.#server = server;
    this.removedStale = removedStale;
    this.#folderCreated = folderCreated;
  }

  /** claims the control socket of `root` and listens; throws a UserError if another start runs there */
  static async open(root: string): Promise<ControlServer> {
    const path = controlSocketPath(root);
    const folder = dirname(path);
    const folderCreated = !existsSync(folder);
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new UserError('CONTROL_SOCKET', `cannot make amnesia's run folder ${folder}`, {
        details: [(error as Error).message],
        hint: 'amnesia start keeps its control socket there: move what is in the way, or make the app root writable',
      });
    }
    const removedStale = await claim(path, root);
    const server = createServer();
    const control = new ControlServer(root, path, server, removedStale, folderCreated);
    server.on('connection', (socket) => control.#serve(socket));
    // Bound under a name of its own (shorter: it fits wherever the socket does), then renamed into place:
    // closing a server unlinks the path it was bound to, which may by then be a next run's socket.
    const bound = join(folder, `c${process.pid}`);
    rmSync(bound, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(bound, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(bound, 0o600);
    renameSync(bound, path);
    control.#made = made(path);
    return control;
  }

  /** answers requests about `run` from now on (subscribe before it starts: the table is built from its events) */
  serve(run: Run): void {
    const rows = new InstanceRows();
    const logs = new LogTail(run.redact);
    let types: string[] = [];
    this.#unsubscribe = run.events.subscribe((event: RunEvent) => {
      if (event.kind === 'run:starting') types = event.formation.map(([type]) => type);
      rows.apply(event, Date.now());
      logs.handle(event);
    });
    this.#context = {
      run,
      logs,
      table: () => {
        const sorted = rows.sorted(types);
        const traffic = Object.fromEntries(sorted.map((row) => [row.name, run.traffic.instance(row.name)]));
        return {
          ...{ pid: process.pid, root: this.#root, now: Date.now(), types, looping: rows.looping() },
          ...{ urls: [...run.urls()], rows: sorted, traffic },
        };
      },
    };
    run.removeIfKilled(this.#folderCreated ? dirname(this.path) : this.path);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    try {
      if (made(this.path) === this.#made) unlinkSync(this.path);
    } catch {} // gone already: the watchdog may have been first
    try {
      rmdirSync(dirname(this.path));
    } catch {} // amnesia's own folder, removed once empty (a next run's socket keeps it)
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let answered = false;
    receive<ControlRequest>(socket, (request) => {
      if (answered) return;
      answered = true;
      const reply = (message: ControlReply): boolean => !socket.destroyed && send(socket, message);
      const context = this.#context;
      if (!context) {
        reply({ kind: 'error', message: 'the run is still starting', hint: 'try again in a moment', usage: false });
        socket.end();
        return;
      }
      handleRequest(request, context, reply, socket).then(
        (follow) => {
          if (!follow) socket.end();
        },
        (error: unknown) => {
          reply({ kind: 'error', message: String((error as Error).message), hint: undefined, usage: false });
          socket.end();
        },
      );
    });
  }
}

// Whether a run already answers on `path`: then this start must not take it over. A socket nobody answers
// on is stale (its run was killed) and is removed; anything else in its place is the user's to remove.
async function claim(path: string, root: string): Promise<boolean> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return false;
  }
  if (!isSocket) {
    throw new UserError('CONTROL_SOCKET', `${path} is in the way of amnesia's control socket`, {
      hint: 'it is not a socket amnesia made: move it elsewhere',
    });
  }
  if (await answers(path)) {
    throw new UserError('ALREADY_RUNNING', `amnesia start is already running in ${root}`, {
      hint: 'control it from here with amnesia ps, restart, stop, scale or logs; or stop it first',
    });
  }
  unlinkSync(path);
  return true;
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** which file is at a path: its inode, and when it was made (an inode number is reused once freed) */
function made(path: string): string {
  const stat = statSync(path, { bigint: true });
  return `${stat.ino}:${stat.ctimeNs}`;
}
