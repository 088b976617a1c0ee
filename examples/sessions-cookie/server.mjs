// STATELESS: cookie-session keeps the session in a signed cookie, so any instance can read it.
import cookieSession from 'cookie-session';
import express from 'express';

import { sessionRoutes } from '../sessions-app.mjs';

const app = express();
app.use(cookieSession({ name: 'session', keys: ['keyboard cat'] }));
sessionRoutes(app);
app.listen(Number(process.env.PORT), () => console.log(`sessions-cookie on ${process.env.PORT}`));
