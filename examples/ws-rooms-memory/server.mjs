// STATEFUL: chat rooms are kept in this process's memory: clients connected to another instance never
// hear each other.
import { serveRooms } from '../ws-rooms-app.mjs';

const rooms = new Map();
await serveRooms({
  name: 'ws-rooms-memory',
  join: (room, socket) => {
    if (!rooms.has(room)) rooms.set(room, new Set());
    rooms.get(room).add(socket);
    socket.on('close', () => rooms.get(room)?.delete(socket));
  },
  say: (room, text) => {
    for (const member of rooms.get(room) ?? []) member.send(JSON.stringify({ room, text }));
  },
});
