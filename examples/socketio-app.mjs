// The socket.io chat the socketio examples share: `join` a room, `say` something to it; GET /client-options
// tells the browser how to connect (as a page would embed it). Only the adapter and the transports differ.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

export function serveChat({ name, clientOptions, adapter }) {
  const server = createServer((req, res) => {
    if (req.url === '/client-options')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(clientOptions));
    else res.end(`${name}\n`);
  });
  const io = new Server(server, adapter ? { adapter } : {});
  io.on('connection', (socket) => {
    socket.on('join', (room, ack) => {
      socket.join(room);
      ack?.('joined');
    });
    socket.on('say', (room, text) => io.to(room).emit('said', text));
  });
  server.listen(Number(process.env.PORT), () => console.log(`${name} on ${process.env.PORT}`));
  process.on('SIGTERM', () => io.close(() => process.exit(0)));
}
