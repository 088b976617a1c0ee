// STATEFUL: socket.io as it comes: long polling first (its session, the sid, lives in the process that
// answered the handshake) and rooms in the default in-memory adapter.
import { serveChat } from '../socketio-app.mjs';

serveChat({ name: 'socketio-memory', clientOptions: {} });
