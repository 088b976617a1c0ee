// STATELESS: clients connect with the WebSocket transport only (no polling session to lose), and rooms go
// through @socket.io/redis-adapter, so a message reaches the room's sockets on every instance.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

import { serveChat } from '../socketio-app.mjs';

const pub = createClient({ url: `redis://127.0.0.1:${process.env.AMNESIA_PORT_REDIS}` });
const sub = pub.duplicate();
pub.on('error', () => {});
sub.on('error', () => {});
await Promise.all([pub.connect(), sub.connect()]);
serveChat({ name: 'socketio-redis', clientOptions: { transports: ['websocket'] }, adapter: createAdapter(pub, sub) });
