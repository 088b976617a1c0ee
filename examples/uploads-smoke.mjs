// Smoke client for the upload examples: upload a file, then download it a few times.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const name = `report-${process.pid}.txt`;
const content = `quarterly numbers ${Date.now()}`;
const put = await request(`/files/${name}`, { method: 'PUT', body: content });
check(put.status === 201, `PUT /files/${name} → ${put.status}`);
for (let i = 0; i < 5; i++) {
  const res = await request(`/files/${name}`);
  const body = res.status === 200 ? await res.text() : '';
  check(res.status === 200 && body === content, `GET /files/${name} → ${res.status}`);
}
finish();
