// A smoke client for apps without state to lose: twenty GETs of /, each must answer 200.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
for (let i = 0; i < 20; i++) {
  const res = await request('/');
  check(res.status === 200, `GET / → ${res.status}`);
}
finish();
