// Smoke client for the cache examples: read a price a few times, change it, read it again everywhere.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const sku = `sku${process.pid}`;
const price = async () => (await (await request(`/prices/${sku}`)).json()).price;
for (let i = 0; i < 6; i++) check((await price()) === '10', 'GET /prices → 10');
const put = await request(`/prices/${sku}`, { method: 'PUT', body: '12' });
check(put.status === 204, `PUT /prices → ${put.status}`);
for (let i = 0; i < 6; i++) {
  const now = await price();
  check(now === '12', `GET /prices after the change → ${now}`);
}
finish();
