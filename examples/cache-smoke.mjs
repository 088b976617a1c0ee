// Smoke client for the cache examples: read a price (so instances cache it), change it, read it back;
// four rounds, each with a new price.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const sku = `sku${process.pid}`;
const price = async () => (await (await request(`/prices/${sku}`)).json()).price;
let expected = '10';
for (let round = 1; round <= 4; round++) {
  for (let i = 0; i < 2; i++) check((await price()) === expected, `GET /prices → ${expected}`);
  expected = String(10 + round);
  const put = await request(`/prices/${sku}`, { method: 'PUT', body: expected });
  check(put.status === 204, `PUT /prices ${expected} → ${put.status}`);
  for (let i = 0; i < 2; i++) {
    const now = await price();
    check(now === expected, `GET /prices after the change → ${now} (expected ${expected})`);
  }
}
finish();
