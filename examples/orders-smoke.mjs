// Smoke client for orders-redis: create orders, then read each back by the id its answer carried (from the
// JSON body, the Location header and the receipt page), and list them.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const json = { 'content-type': 'application/json' };
const created = [];
for (const [item, qty] of [
  ['tea', 2],
  ['milk', 1],
  ['bread', 3],
]) {
  const res = await request('/orders', { method: 'POST', headers: json, body: JSON.stringify({ item, qty }) });
  const order = res.status === 201 ? await res.json() : {};
  check(res.status === 201 && typeof order.id === 'string', `POST /orders ${item} → ${res.status}`);
  created.push({ order, location: res.headers.get('location') });
}
for (const { order, location } of created) {
  const byId = await request(`/orders/${order.id}`);
  check(byId.status === 200, `GET /orders/${order.id} → ${byId.status}`);
  const byLocation = await request(location);
  check(byLocation.status === 200, `GET ${location} → ${byLocation.status}`);
  const receipt = await request(`/orders/${order.id}/receipt`);
  check(receipt.status === 200, `GET /orders/${order.id}/receipt → ${receipt.status}`);
}
const list = await request('/orders');
const { count } = list.status === 200 ? await list.json() : { count: 0 };
check(count === 3, `GET /orders → ${list.status}, ${count} orders (expected 3)`);
finish();
