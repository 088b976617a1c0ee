// Smoke client for the session examples: log in, read the profile, fill the cart, read it back.
// SMOKE_PAUSE_MS: a pause between requests, as a person clicking would leave (default none).
import { browser, check, finish } from './smoke-kit.mjs';

const browse = browser();
const pause = Number(process.env.SMOKE_PAUSE_MS ?? 0);
const request = async (path, init) => {
  if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  return browse(path, init);
};
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
