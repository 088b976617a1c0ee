// STATELESS: each instance keeps only its own sockets; messages travel through Redis pub/sub, so every
// member of a room hears them wherever it is connected.
import { createClient } from 'redis';

import { serveRooms } from '../ws-rooms-app.mjs';

const url = `redis://127.0.0.1:${process.env.AMNESIA_PORT_REDIS}`;
const publisher = createClient({ url });
const subscriber = createClient({ url });
for (const client of [publisher, subscriber]) {
  client.on('error', () => {});
  await client.connect();
}
const local = new Map();
await subscriber.pSubscribe('room:*', (message, channel) => {
  const room = channel.slice('room:'.length);
  for (const member of local.get(room) ?? []) member.send(JSON.stringify({ room, text: message }));
});
await serveRooms({
  name: 'ws-rooms-redis',
  join: (room, socket) => {
    if (!local.has(room)) local.set(room, new Set());
    local.get(room).add(socket);
    socket.on('close', () => local.get(room)?.delete(socket));
  },
  say: (room, text) => publisher.publish(`room:${room}`, text),
});
