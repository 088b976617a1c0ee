// STATEFUL: a per-process cache in front of Redis. A write invalidates this process's cache only, so
// the other instances keep serving the old price.
import { servePrices } from '../cache-app.mjs';

const cache = new Map();
await servePrices({
  name: 'cache-memory',
  read: async (redis, sku) => {
    if (!cache.has(sku)) cache.set(sku, (await redis.get(`price:${sku}`)) ?? '10');
    return cache.get(sku);
  },
  write: async (redis, sku, price) => {
    await redis.set(`price:${sku}`, price);
    cache.delete(sku);
  },
});
