// The run's one seeded generator (mulberry32): balancing, restart choices and timings all draw from it,
// so `--seed N` replays a run's choices.
export interface Random {
  readonly seed: number;
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, int: (n) => Math.floor(next() * n) };
}

// A fresh seed for a run that was not given one: short enough to type back in.
export const newSeed = (): number => 1 + Math.floor(Math.random() * 999_999);
