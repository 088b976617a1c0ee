// STATEFUL: express-session with its default MemoryStore keeps every session in this process's memory.
import express from 'express';
import session from 'express-session';

import { sessionRoutes } from '../sessions-app.mjs';

const app = express();
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));
sessionRoutes(app);
app.listen(Number(process.env.PORT), () => console.log(`sessions-memory on ${process.env.PORT}`));
