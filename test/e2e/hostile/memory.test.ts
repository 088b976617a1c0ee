import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';

import { freeBasePort, makeApp, startRouted } from '../helpers.js';

const MB = 1024 * 1024;

// The highest resident set size the process has had (the kernel keeps it: no sampling to miss a peak).
const peakRssMb = (pid: number): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0) / 1024;

// `mb` megabytes, produced only as fast as they are read.
const upload = (mb: number): Readable => {
  const chunk = Buffer.alloc(MB, 97);
  let left = mb;
  return new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
};

describe('the router streams: its memory does not grow with what passes through it', () => {
  test('a 400 MB upload to an app that waits before reading, and a 400 MB download to a reader that waits: the manager stays under 200 MB', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('web.mjs')}\n` });
    const { run, url } = await startRouted(app, ['-p', String(await freeBasePort()), '-m', 'web=1', '--no-restart']);
    const pid = run.child.pid ?? 0;

    const up = await request(`${url}/sink?pause=1500`, {
      method: 'POST',
      body: upload(400),
      headers: { 'content-length': String(400 * MB) },
    });
    expect(up.statusCode).toBe(200);
    expect(await up.body.text()).toBe(String(400 * MB));

    const down = await request(`${url}/big?mb=400`);
    expect(down.statusCode).toBe(200);
    // not a byte read for 1.5 s while the app could write all 400 MB; then read to the end
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let received = 0;
    for await (const chunk of down.body) received += (chunk as Buffer).length;
    expect(received).toBe(400 * MB);

    expect(peakRssMb(pid)).toBeGreaterThan(20);
    expect(peakRssMb(pid)).toBeLessThan(200);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});
