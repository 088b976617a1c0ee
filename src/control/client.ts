// The client side of the control socket: one request, then every reply until the run closes the
// connection. No socket file: nothing runs in that root; a socket nobody answers on: its run was killed
// (the file is stale and is removed, so the next `start` does not have to).
import { unlinkSync } from 'node:fs';
import { connect } from 'node:net';

import { UserError } from '../errors.js';
import { controlSocketPath, receive, send, type ControlReply, type ControlRequest } from './protocol.js';

export function requestRun(
  root: string,
  request: ControlRequest,
  onReply: (reply: ControlReply) => void,
): Promise<void> {
  const path = controlSocketPath(root);
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      send(socket, request);
    });
    receive<ControlReply>(socket, onReply);
    socket.once('close', () => resolve());
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (connected) return reject(new UserError('CONTROL_LOST', `the run in ${root} went away: ${error.message}`));
      reject(notRunning(root, path, error.code));
    });
  });
}

function notRunning(root: string, path: string, code: string | undefined): UserError {
  const hint = 'start one there with `amnesia start` (in another terminal), or point to its app with -d DIR';
  if (code === 'ECONNREFUSED') {
    try {
      unlinkSync(path);
    } catch {
      // someone else removed it first
    }
    return new UserError('NOT_RUNNING', `no amnesia start is running in ${root}`, {
      hint,
      details: [`${path} was left by one that did not stop (killed?): removed it`],
    });
  }
  return new UserError('NOT_RUNNING', `no amnesia start is running in ${root}`, {
    details: [`(no control socket at ${path})`],
    hint,
  });
}
