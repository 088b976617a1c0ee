// How another shell talks to a running `amnesia start` (`amnesia ps`, `restart`, `stop`, `scale`, `logs`):
// one request per connection over a Unix socket in the app root's run folder, newline-delimited JSON both
// ways, as Overmind's and process-compose's clients do.
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { InstanceRow } from '../events/instance-rows.js';
import type { Figures } from '../stats/latency-window.js';

/** the app root's run folder: the control socket lives here while `start` runs */
export const RUN_FOLDER = '.amnesia';
const SOCKET = 'control.sock';

/** sun_path holds 104 bytes on macOS (108 on Linux), the terminating NUL included */
const MAX_SOCKET_PATH = 103;

// The control socket of the run in `root`, in the root's run folder. A root so deep that the path would not
// fit in a Unix socket address gets a run folder in the temp dir instead, named after the root, so every
// client still finds it.
export function controlSocketPath(root: string): string {
  const path = join(root, RUN_FOLDER, SOCKET);
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH) return path;
  const digest = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(tmpdir(), `amnesia-${digest}`, SOCKET);
}

export type ControlRequest =
  | { command: 'ps' }
  /** instance names or types; none: every instance */
  | { command: 'restart'; names: string[] }
  | { command: 'stop'; names: string[] }
  | { command: 'scale'; formation: Array<[type: string, count: number]> }
  /** instance names or types; none: all output. `lines`: how many of the buffered ones first */
  | { command: 'logs'; names: string[]; follow: boolean; lines: number | undefined };

export interface ProcessTable {
  /** the manager's pid and the app root it runs */
  pid: number;
  root: string;
  now: number;
  types: string[];
  looping: string[];
  urls: Array<[type: string, url: string]>;
  rows: InstanceRow[];
  /** req/s and latency percentiles (ms) of each instance over the last seconds, by name */
  traffic: Record<string, Figures>;
}

export interface LogRecord {
  name: string;
  type: string | undefined;
  text: string;
  /** amnesia's own line (started, crashed...), not the app's output */
  event: boolean;
}

export type ControlReply =
  | { kind: 'table'; table: ProcessTable }
  | { kind: 'log'; record: LogRecord }
  | { kind: 'done'; message: string }
  /** `usage`: the request was wrong (an unknown name), rather than something failing */
  | { kind: 'error'; message: string; hint: string | undefined; usage: boolean };

export function send(socket: Socket, message: ControlRequest | ControlReply): boolean {
  return socket.write(`${JSON.stringify(message)}\n`);
}

/** calls `onMessage` with each JSON line the socket receives; a line that is not JSON ends the connection */
export function receive<T>(socket: Socket, onMessage: (message: T) => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let end = pending.indexOf('\n');
    while (end !== -1) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        socket.destroy();
        return;
      }
      onMessage(message);
      end = pending.indexOf('\n');
    }
  });
}
