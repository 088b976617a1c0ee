// Smoke client for forms-csrf, as a browser would drive it: every form is posted with the token its page
// carried, and the script's JSON request with the page's <meta name="csrf-token">.
import { browser, check, finish } from './smoke-kit.mjs';

const request = browser();
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const tokenOf = async (res) => /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
const post = (path, fields) => request(path, { method: 'POST', headers: form, body: new URLSearchParams(fields) });

const home = await request('/');
check(home.status === 200, `GET / → ${home.status}`);
const login = await post('/login', { _csrf: await tokenOf(home), user: 'ada' });
check(login.status === 303, `POST /login → ${login.status}`);
let notes = await request('/notes');
check(notes.status === 200, `GET /notes → ${notes.status}`);
for (const text of ['tea', 'milk']) {
  const added = await post('/notes', { _csrf: await tokenOf(notes), text });
  check(added.status === 303, `POST /notes ${text} → ${added.status}`);
  notes = await request('/notes');
  check(notes.status === 200, `GET /notes → ${notes.status}`);
}
const html = await notes.text();
const meta = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
const api = await request('/api/notes', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-csrf-token': meta },
  body: JSON.stringify({ text: 'bread' }),
});
check(api.status === 201, `POST /api/notes → ${api.status}`);
const last = await request('/notes');
const page = await last.text();
const count = (page.match(/<li>/g) ?? []).length;
check(count === 3, `GET /notes → ${last.status}, ${count} notes (expected 3)`);
const logout = await post('/logout', { _csrf: /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '' });
check(logout.status === 303, `POST /logout → ${logout.status}`);
finish();
