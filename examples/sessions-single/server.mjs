// STATEFUL even with one instance: express-session with its default MemoryStore loses every session when
// the process restarts (a deploy, a daily dyno cycle, a crash).
import express from 'express';
import session from 'express-session';

import { sessionRoutes } from '../sessions-app.mjs';

const app = express();
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));
sessionRoutes(app);
app.listen(Number(process.env.PORT), () => console.log(`sessions-single on ${process.env.PORT}`));
