import { readFileSync } from 'node:fs';

import { request } from 'undici';
import { describe, expect, test } from 'vitest';

import { check, freeBasePort, makeApp, startRouted } from './helpers.js';

// Secrets a user hands amnesia without meaning to: in the smoke command, in the inherited environment,
// in a URL's password, in a query string.
const LIVE_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
const INHERITED = 'inherited-secret-value-42';
const PASSWORD = 'hunter2hunter2';

describe('no secret reaches an output', () => {
  test('check: the text, JSON and JUnit reports and the log show the smoke command and its URLs redacted', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('noisy.mjs')}\n` });
    const command = `curl -s -H 'X-Api-Key: ${LIVE_KEY}' "http://u:${PASSWORD}@127.0.0.1:1/?token=${LIVE_KEY}" || test "$STRIPE_SECRET" = "${INHERITED}" && exit 3`;
    const run = await check(app.dir, ['--run', command, '--seed', '5'], { STRIPE_SECRET: INHERITED });
    expect(run.code).toBe(2);
    const outputs = {
      log: run.stdout + run.stderr,
      json: readFileSync(run.reportPath, 'utf8'),
      junit: readFileSync(run.junitPath, 'utf8'),
    };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).not.toContain(LIVE_KEY);
      expect(text, name).not.toContain(PASSWORD);
      expect(text, name).not.toContain(INHERITED);
    }
    expect(outputs.json).toMatch(/X-Api-Key: <redacted>/);
    expect(outputs.json).toMatch(/u:<redacted>@127\.0\.0\.1/);
    expect(outputs.json).toMatch(/<STRIPE_SECRET>/);
    expect(outputs.log).toMatch(/replay: amnesia check .*--run .*X-Api-Key: <redacted>/);
  });

  test('start --log-requests: query parameters with secret-looking names are redacted, the rest is kept', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const { run, url } = await startRouted(app, [
      '-p',
      String(await freeBasePort()),
      '-m',
      'web=1',
      '--no-restart',
      '--log-requests',
      '--no-timestamp',
    ]);
    try {
      const res = await request(`${url}/search?q=shoes&access_token=${LIVE_KEY}&page=2`);
      await res.body.text();
      await run.waitFor(/GET \/search\?q=shoes&access_token=<redacted>&page=2 → 200/);
      expect(run.stdout()).not.toContain(LIVE_KEY);
    } finally {
      run.signal('SIGINT');
      await run.exited;
    }
  });
});
