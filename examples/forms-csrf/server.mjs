// STATELESS, with a CSRF token that changes on every page: the session lives in a signed cookie
// (cookie-session), and each form carries a fresh token HMAC-signed with the session's id, OWASP's "signed
// double-submit" pattern. Any instance can check a token: it needs the shared secret, not a server-side list.
// A replay that sent the recorded tokens back would be refused (403) by every instance: the session id, and
// so the signature, differs on every run. `check --replay` passes because it binds each form's token to the
// one the live page carried.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import cookieSession from 'cookie-session';
import express from 'express';

const SECRET = process.env.FORMS_SECRET ?? 'shared by every instance';
const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(express.json());
app.use(cookieSession({ name: 'session', keys: [SECRET], sameSite: 'lax', httpOnly: true }));

const sign = (sid, nonce) => createHmac('sha256', SECRET).update(`${sid}!${nonce}`).digest('base64url');

// a new token for this page: a random nonce and its signature for this session
function token(req) {
  req.session.sid ??= randomBytes(16).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  return `${nonce}.${sign(req.session.sid, nonce)}`;
}

function verified(req, res, next) {
  const sent = String(req.body?._csrf ?? req.get('x-csrf-token') ?? '');
  const [nonce = '', mac = ''] = sent.split('.');
  const want = Buffer.from(sign(req.session?.sid ?? '', nonce));
  if (
    !req.session?.sid ||
    !nonce ||
    Buffer.from(mac).length !== want.length ||
    !timingSafeEqual(Buffer.from(mac), want)
  )
    return res.status(403).type('text').send('invalid CSRF token: reload the page and try again');
  next();
}

const page = (req, title, body) => `<!doctype html>
<html><head><title>${title}</title><meta name="csrf-token" content="${token(req)}"></head>
<body><h1>${title}</h1>${body}</body></html>`;
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

app.get('/', (req, res) => {
  if (req.session.user) return res.redirect(303, '/notes');
  res.send(
    page(
      req,
      'Sign in',
      `<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${token(req)}">
<input name="user"><button>Sign in</button></form>`,
    ),
  );
});

app.post('/login', verified, (req, res) => {
  req.session.user = String(req.body.user ?? '');
  req.session.notes = [];
  res.redirect(303, '/notes');
});

app.get('/notes', (req, res) => {
  if (!req.session.user) return res.redirect(303, '/');
  const items = req.session.notes.map((n) => `<li>${escape(n)}</li>`).join('');
  res.send(
    page(
      req,
      `Notes of ${escape(req.session.user)}`,
      `<ul id="notes">${items}</ul>
<form method="post" action="/notes"><input type="hidden" name="_csrf" value="${token(req)}">
<input name="text"><button>Add</button></form>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${token(req)}"><button>Sign out</button></form>`,
    ),
  );
});

app.post('/notes', verified, (req, res) => {
  if (!req.session.user) return res.redirect(303, '/');
  req.session.notes = [...req.session.notes, String(req.body.text ?? '')];
  res.redirect(303, '/notes');
});

// what a page's script sends: JSON, with the token from <meta name="csrf-token"> in a header
app.post('/api/notes', verified, (req, res) => {
  if (!req.session.user) return res.status(401).json({ error: 'sign in first' });
  req.session.notes = [...req.session.notes, String(req.body.text ?? '')];
  res.status(201).json({ count: req.session.notes.length });
});

app.post('/logout', verified, (req, res) => {
  req.session = null;
  res.redirect(303, '/');
});

const server = app.listen(Number(process.env.PORT), () => console.log(`forms-csrf on ${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
