// The WebSocket protocol the room examples share: {"join": room} then {"say": text}; the server acks
// a join with {"joined": room} and delivers {room, text} to every member.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

export async function serveRooms({ name, join, say }) {
  const server = createServer((req, res) => res.end(`${name}\n`));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    let room;
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.join) {
        room = message.join;
        join(room, socket);
        socket.send(JSON.stringify({ joined: room }));
      } else if (message.say && room) say(room, message.say);
    });
  });
  server.listen(Number(process.env.PORT), () => console.log(`${name} on ${process.env.PORT}`));
  process.on('SIGTERM', () => {
    for (const client of wss.clients) client.close(1001);
    server.close(() => process.exit(0));
  });
}
