// STATELESS: express-session with connect-redis keeps sessions in Redis, shared by every instance.
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';

import { sessionRoutes } from '../sessions-app.mjs';

const client = createClient({ url: `redis://127.0.0.1:${process.env.AMNESIA_PORT_REDIS}` });
client.on('error', () => {});
await client.connect();
const app = express();
app.use(
  session({ store: new RedisStore({ client }), secret: 'keyboard cat', resave: false, saveUninitialized: false }),
);
sessionRoutes(app);
const server = app.listen(Number(process.env.PORT), () => console.log(`sessions-redis on ${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => client.quit().finally(() => process.exit(0))));
