// STATELESS: no cache in the process; Redis is the cache, shared by every instance.
import { servePrices } from '../cache-app.mjs';

await servePrices({
  name: 'cache-redis',
  read: async (redis, sku) => (await redis.get(`price:${sku}`)) ?? '10',
  write: (redis, sku, price) => redis.set(`price:${sku}`, price),
});
