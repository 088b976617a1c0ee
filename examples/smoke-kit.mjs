// What the examples' smoke clients share: a fetch with a cookie jar, and a check that fails the run.
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

let failures = 0;
export function check(ok, message) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failures++;
}

export function finish() {
  console.log(failures === 0 ? 'smoke passed' : `smoke failed: ${failures} check(s)`);
  process.exit(failures === 0 ? 0 : 1);
}
