// STATELESS: uploads are stored in the backing service (Redis here; S3 or a database in production).
import { createClient, RESP_TYPES } from 'redis';

import { serveUploads } from '../uploads-app.mjs';

const client = createClient({ url: `redis://127.0.0.1:${process.env.AMNESIA_PORT_REDIS}` });
client.on('error', () => {});
await client.connect();
const binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
const server = serveUploads({
  name: 'uploads-redis',
  save: (name, data) => client.set(`file:${name}`, data),
  load: async (name) => (await binary.get(`file:${name}`)) ?? undefined,
});
process.on('SIGTERM', () => server.close(() => client.quit().finally(() => process.exit(0))));
