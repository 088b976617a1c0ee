import { Pool } from 'undici';

import type { InstanceRef } from '../events/types.js';

// One ready instance behind a router: its keep-alive connection pool and what is in flight on it.
export class Upstream {
  readonly ref: InstanceRef;
  readonly port: number;
  readonly pool: Pool;
  inFlight = 0;
  draining = false;
  #idle: Array<() => void> = [];

  constructor(ref: InstanceRef, host: string, port: number) {
    this.ref = ref;
    this.port = port;
    // keep-alive shorter than Node's 5s server default, so we rarely reuse a socket the app is closing;
    // no body timeout: server-sent events may be quiet for minutes
    this.pool = new Pool(`http://${host}:${port}`, {
      keepAliveTimeout: 2000,
      keepAliveMaxTimeout: 4000,
      bodyTimeout: 0,
      headersTimeout: 0,
    });
  }

  get uid(): number {
    return this.ref.uid;
  }

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** resolves once nothing is in flight */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    void this.pool.destroy().catch(() => undefined);
  }
}
