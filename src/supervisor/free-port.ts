// A free loopback port for an instance, taken from below the ephemeral range. A port from listen(0) comes
// from the range the kernel also hands out as the local port of outgoing connections, so in the second an
// instance takes to start, a connection (the router's to another instance, a Redis client, a smoke client)
// could take it first and the instance fails with EADDRINUSE (seen in CI: socketio-redis's web.3, a false
// crash finding). Below that range only a listener can hold a port, and a listener is seen by the try.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const handedOut = new Set<number>();
/** the lowest port handed out, clear of the well-known and registered ports most tools default to */
const LOWEST = 10_000;
const TRIES = 50;

/** the first port of the ephemeral range: Linux says; elsewhere (macOS, BSD) IANA's 49152 is the default */
export function ephemeralStart(read = (path: string): string => readFileSync(path, 'utf8')): number {
  try {
    const first = Number(read('/proc/sys/net/ipv4/ip_local_port_range').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > 0) return first;
  } catch {
    // not Linux
  }
  return 49_152;
}

const listenOn = (port: number, host: string): Promise<number | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });

// A port nothing listens on, never the same one twice in this process; from the OS's own choice (ephemeral)
// only when the range below is too small or full.
export async function freePort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  const span = ephemeralStart() - LOWEST;
  for (let i = 0; span >= 1000 && i < TRIES; i++) {
    const candidate = LOWEST + Math.floor(random() * span);
    if (handedOut.has(candidate)) continue;
    if ((await listenOn(candidate, host)) === candidate) {
      handedOut.add(candidate);
      return candidate;
    }
  }
  for (;;) {
    const port = await listenOn(0, host);
    if (port === undefined) throw new Error(`no free port on ${host}`);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
