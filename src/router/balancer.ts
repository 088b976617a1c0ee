import type { Random } from '../random.js';
import type { BalanceMode } from '../shared/balance-modes.js';

/** what the balancer needs to know of an instance */
export interface Candidate {
  uid: number;
}

const MAX_CLIENTS = 10_000;

// Picks the instance for one request: random (uniform, like Heroku's router), round-robin, hop (never the
// instance that served this client last, when another is ready) or sticky (always the same one while ready).
export class Balancer {
  mode: BalanceMode;
  readonly #random: Random;
  readonly #last = new Map<string, number>();
  #turn = 0;

  constructor(mode: BalanceMode, random: Random) {
    this.mode = mode;
    this.#random = random;
  }

  pick<T extends Candidate>(
    candidates: readonly T[],
    client: string,
    exclude: ReadonlySet<number> = new Set(),
  ): T | undefined {
    const pool = exclude.size === 0 ? candidates : candidates.filter((c) => !exclude.has(c.uid));
    if (pool.length === 0) return undefined;
    const last = this.#last.get(client);
    let chosen: T | undefined;
    switch (this.mode) {
      case 'random':
        chosen = pool[this.#random.int(pool.length)];
        break;
      case 'round-robin':
        chosen = pool[this.#turn++ % pool.length];
        break;
      case 'hop': {
        const others = pool.length > 1 ? pool.filter((c) => c.uid !== last) : pool;
        chosen = others[this.#random.int(others.length)];
        break;
      }
      case 'sticky':
        chosen = pool.find((c) => c.uid === last) ?? pool[this.#random.int(pool.length)];
        break;
    }
    return chosen;
  }

  /** which instance served this client's previous request (undefined: none yet) */
  previous(client: string): number | undefined {
    return this.#last.get(client);
  }

  remember(client: string, uid: number): void {
    this.#last.delete(client);
    this.#last.set(client, uid);
    if (this.#last.size > MAX_CLIENTS) {
      const oldest = this.#last.keys().next().value;
      if (oldest !== undefined) this.#last.delete(oldest);
    }
  }
}
