// Smoke client for uploads-id-tmp: upload a file, read the id from the text answer, download it again.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const content = `invoice ${Date.now()}`;
const post = await request('/uploads', { method: 'POST', body: content });
const id = /as ([0-9a-f]+)/.exec(await post.text())?.[1];
check(post.status === 201 && id !== undefined, `POST /uploads → ${post.status}, id ${id}`);
for (let i = 0; i < 5; i++) {
  const res = await request(`/uploads/${id}`);
  const body = res.status === 200 ? await res.text() : '';
  check(res.status === 200 && body === content, `GET /uploads/${id} → ${res.status}`);
}
finish();
