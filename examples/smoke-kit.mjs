// What the examples' smoke clients share: a fetch with a cookie jar, and a check that stops the run at
// the first failure (as a test runner's bail would).
export const base = process.env.AMNESIA_URL ?? 'http://127.0.0.1:5000';

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
    return res;
  };
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
