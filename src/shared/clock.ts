// Time as a dependency: the real clock by default, a virtual one in unit tests (as concurrently injects its
// scheduler), so backoff, drain and wait timeouts are tested in microseconds rather than in seconds.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** epoch milliseconds */
  now(): number;
  /** fn after ms; the timer never keeps the process alive by itself */
  after(ms: number, fn: () => void): Timer;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};

// Resolves with the promise's value, or with undefined once ms have passed on the clock.
export async function within<T>(clock: Clock, ms: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: Timer | undefined;
  const late = new Promise<undefined>((resolve) => (timer = clock.after(ms, () => resolve(undefined))));
  try {
    return await Promise.race([promise, late]);
  } finally {
    timer?.cancel();
  }
}
