import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { expect, test } from 'vitest';

import { ROOT } from './helpers.js';

// The examples' smoke clients must behave like a browser: a request is over when its whole response is
// in. express-session sends all of a response but its last byte, saves the session, then sends that
// byte; a client that moved on at the headers raced the save (a lost cart item on another instance).
test("the examples' smoke client finishes a request only once the response's last byte arrives", async () => {
  let sendLastByte: (() => void) | undefined;
  let flushed!: () => void;
  const partialSent = new Promise<void>((resolve) => (flushed = resolve));
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
    res.write('{"items":3', () => flushed());
    sendLastByte = () => res.end('}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.env['AMNESIA_URL'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const kit = (await import(join(ROOT, 'examples/smoke-kit.mjs'))) as {
      browser(): (path: string) => Promise<Response>;
    };
    let done = false;
    const pending = kit
      .browser()('/cart')
      .then((res) => {
        done = true;
        return res;
      });
    await partialSent;
    // the headers and all but one byte are out: the request must not be over, however long we look
    // (a client that stops at the headers is done within a few milliseconds)
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    sendLastByte?.();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: 3 });
  } finally {
    delete process.env['AMNESIA_URL'];
    server.closeAllConnections();
    server.close();
  }
});
