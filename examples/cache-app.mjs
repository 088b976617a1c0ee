// The routes the cache examples share: read a price, change a price. Prices live in Redis.
import { createServer } from 'node:http';
import { createClient } from 'redis';

export async function servePrices({ name, read, write }) {
  const redis = createClient({ url: `redis://127.0.0.1:${process.env.AMNESIA_PORT_REDIS}` });
  redis.on('error', () => {});
  await redis.connect();
  const server = createServer(async (req, res) => {
    const match = /^\/prices\/(\w+)$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    const sku = match[1];
    if (req.method === 'PUT') {
      let body = '';
      for await (const chunk of req) body += chunk;
      await write(redis, sku, body.trim());
      return void res.writeHead(204).end();
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sku, price: await read(redis, sku) }));
  });
  server.listen(Number(process.env.PORT), () => console.log(`${name} on ${process.env.PORT}`));
  process.on('SIGTERM', () => server.close(() => redis.quit().finally(() => process.exit(0))));
}
