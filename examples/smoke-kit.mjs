// What the examples' smoke clients share: a fetch with a cookie jar, and a check that stops the run at
// the first failure (as a test runner's bail would).
export const base = process.env.AMNESIA_URL ?? 'http://127.0.0.1:5000';

const NULL_BODY = new Set([101, 204, 205, 304]);

// Like a browser, a request is over when its whole response has arrived: fetch resolves at the headers,
// and an app may still be finishing its work (express-session saves the session before the last byte),
// so the next request waits for the body.
export function browser() {
  const jar = new Map();
  return async function request(path, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(`${base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const body = await res.arrayBuffer();
    return new Response(NULL_BODY.has(res.status) ? null : body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/** resolves once `condition()` holds, or after `ms` (a message that never arrives) */
export async function waitUntil(condition, ms = 1500) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

export function check(ok, message) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) {
    console.log('smoke failed');
    process.exit(1);
  }
}

export function finish() {
  console.log('smoke passed');
  process.exit(0);
}
