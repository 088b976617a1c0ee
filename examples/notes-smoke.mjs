// Smoke client for the Flask notes examples: write a note, read its id from the JSON answer, read it back.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
for (let round = 1; round <= 2; round++) {
  const text = `remember the milk, round ${round}`;
  const post = await request('/notes', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const note = post.status === 201 ? await post.json() : {};
  check(post.status === 201 && typeof note.id === 'string', `POST /notes → ${post.status}`);
  for (let i = 0; i < 3; i++) {
    const res = await request(`/notes/${note.id}`);
    const body = res.status === 200 ? await res.json() : {};
    check(res.status === 200 && body.text === text, `GET /notes/${note.id} → ${res.status}`);
  }
}
finish();
