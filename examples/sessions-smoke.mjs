// Smoke client for the session examples: log in, read the profile, fill the cart, read it back.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const json = { 'content-type': 'application/json' };
const login = await request('/login', { method: 'POST', headers: json, body: JSON.stringify({ user: 'ada' }) });
check(login.status === 200, `POST /login → ${login.status}`);
for (let i = 0; i < 5; i++) {
  const res = await request('/profile');
  check(res.status === 200, `GET /profile → ${res.status}`);
}
for (const item of ['tea', 'milk', 'bread']) {
  const res = await request('/cart', { method: 'POST', headers: json, body: JSON.stringify({ item }) });
  check(res.status === 200, `POST /cart ${item} → ${res.status}`);
}
const cart = await request('/cart');
const items = cart.status === 200 ? (await cart.json()).items : [];
check(items.length === 3, `GET /cart → ${cart.status}, ${items.length} items (expected 3)`);
finish();
