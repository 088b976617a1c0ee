// STATELESS, and noisy on purpose: the orders live in Redis, but every answer carries values that no two
// runs share, as real APIs' answers do: a random id (uuid) in the JSON body, the Location header and the
// HTML, creation and serving timestamps, a request id header, a weak ETag. A replay that compared answers
// naively would flag all of them; `check --replay` learns them as noise from its two control runs and binds
// the ids the later requests send back.
import { randomUUID } from 'node:crypto';

import express from 'express';
import { createClient } from 'redis';

const redis = createClient({ url: `redis://127.0.0.1:${process.env.AMNESIA_PORT_REDIS}` });
redis.on('error', () => {});
await redis.connect();
const app = express();
app.use(express.json());
app.use((req, res, next) => {
  res.set('X-Request-Id', randomUUID());
  res.set('ETag', `W/"${randomUUID().slice(0, 8)}"`);
  next();
});

const load = async (id) => {
  const raw = await redis.get(`order:${id}`);
  return raw === null ? undefined : JSON.parse(raw);
};

app.post('/orders', async (req, res) => {
  const order = {
    id: randomUUID(),
    item: String(req.body.item ?? ''),
    qty: Number(req.body.qty ?? 1),
    createdAt: new Date().toISOString(),
  };
  await redis.set(`order:${order.id}`, JSON.stringify(order));
  await redis.zAdd('orders', { score: await redis.incr('orders:seq'), value: order.id });
  res.status(201).location(`/orders/${order.id}`).json(order);
});

app.get('/orders/:id', async (req, res) => {
  const order = await load(req.params.id);
  if (!order) return res.status(404).json({ error: `no order ${req.params.id}` });
  res.json({ ...order, servedAt: new Date().toISOString() });
});

app.get('/orders', async (_req, res) => {
  const ids = await redis.zRange('orders', 0, -1);
  const orders = (await Promise.all(ids.map(load))).filter(Boolean);
  res.json({ count: orders.length, items: orders.map((o) => o.item), generatedAt: Date.now() });
});

// the receipt page: the id in the text, a timestamp, a nonce in a script tag
app.get('/orders/:id/receipt', async (req, res) => {
  const order = await load(req.params.id);
  if (!order) return res.status(404).type('text').send(`no order ${req.params.id}\n`);
  res.type('html').send(`<!doctype html><title>Receipt</title>
<p>Order ${order.id}: ${order.qty} × ${order.item}</p>
<p>Printed ${new Date().toUTCString()}</p>
<script nonce="${randomUUID()}">window.order = "${order.id}";</script>`);
});

const server = app.listen(Number(process.env.PORT), () => console.log(`orders-redis on ${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => redis.quit().finally(() => process.exit(0))));
