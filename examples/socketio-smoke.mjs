// Smoke client for the socketio examples, with socket.io's own client: fetch the connection options the
// page would embed, then two people join a room and one speaks; the other must hear it. Three rounds.
import { io } from 'socket.io-client';

import { base, check, finish, waitUntil } from './smoke-kit.mjs';

const options = await (await fetch(`${base}/client-options`)).json();
const connect = (room) =>
  new Promise((resolve) => {
    const socket = io(base, { ...options, reconnection: false, timeout: 3000 });
    const heard = [];
    socket.on('said', (text) => heard.push(text));
    socket.on('connect', () => socket.emit('join', room, () => resolve({ socket, heard })));
    socket.on('connect_error', (error) => resolve({ socket, heard, error }));
    socket.io.on('error', (error) => resolve({ socket, heard, error }));
  });

for (let round = 1; round <= 3; round++) {
  const room = `room-${process.pid}-${round}`;
  const alice = await connect(room);
  const bob = await connect(room);
  check(
    !alice.error && !bob.error,
    `round ${round}: both connected${alice.error || bob.error ? ` (${(alice.error ?? bob.error).message})` : ''}`,
  );
  alice.socket.emit('say', room, `hello ${round}`);
  await waitUntil(() => bob.heard.includes(`hello ${round}`));
  check(bob.heard.includes(`hello ${round}`), `round ${round}: bob heard alice`);
  alice.socket.close();
  bob.socket.close();
}
finish();
