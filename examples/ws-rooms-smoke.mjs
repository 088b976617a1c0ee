// Smoke client for the room examples: two people join a room on separate connections; one speaks, the
// other must hear it. Three times, with new connections each time.
import WebSocket from 'ws';

import { base, check, finish, waitUntil } from './smoke-kit.mjs';

const open = (room) =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/`);
    const heard = [];
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.joined) resolve({ socket, heard });
      else heard.push(message.text);
    });
    socket.on('open', () => socket.send(JSON.stringify({ join: room })));
    socket.on('error', reject);
  });

for (let round = 1; round <= 3; round++) {
  const room = `room-${process.pid}-${round}`;
  const alice = await open(room);
  const bob = await open(room);
  alice.socket.send(JSON.stringify({ say: `hello ${round}` }));
  await waitUntil(() => bob.heard.includes(`hello ${round}`));
  check(bob.heard.includes(`hello ${round}`), `round ${round}: bob heard alice`);
  alice.socket.close();
  bob.socket.close();
}
finish();
