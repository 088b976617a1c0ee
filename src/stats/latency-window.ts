// Requests per second and latency percentiles over the last few complete seconds, in fixed memory: a ring of
// one histogram per second, each reused when its second comes round again (the second it held is handed to
// `onRetire` first, so a longer history can keep a summary of it).
import { Histogram, percentile } from './histogram.js';

export interface Figures {
  /** requests per second over the window */
  rps: number;
  /** latency percentiles (ms) over the window; undefined: no request in it */
  p50: number | undefined;
  p99: number | undefined;
}

interface Slot {
  second: number;
  histogram: Histogram;
}

export class LatencyWindow {
  readonly #seconds: number;
  /** the window's complete seconds and the one under way */
  readonly #slots: Slot[];
  readonly #onRetire: ((second: number, histogram: Histogram) => void) | undefined;

  constructor(seconds: number, onRetire?: (second: number, histogram: Histogram) => void) {
    this.#seconds = seconds;
    this.#slots = Array.from({ length: seconds + 1 }, () => ({ second: -1, histogram: new Histogram() }));
    this.#onRetire = onRetire;
  }

  record(second: number, ms: number): void {
    const slot = this.#slots[second % this.#slots.length];
    if (!slot) return;
    if (slot.second !== second) {
      if (slot.second !== -1 && slot.histogram.count > 0) this.#onRetire?.(slot.second, slot.histogram);
      slot.histogram.reset();
      slot.second = second;
    }
    slot.histogram.record(ms);
  }

  /** the histogram of one second, while the ring still holds it */
  at(second: number): Histogram | undefined {
    const slot = this.#slots[second % this.#slots.length];
    return slot?.second === second ? slot.histogram : undefined;
  }

  /** over the complete seconds before `second` (the one under way would read low) */
  figures(second: number): Figures {
    const histograms: Histogram[] = [];
    for (let s = second - this.#seconds; s < second; s++) {
      const h = this.at(s);
      if (h) histograms.push(h);
    }
    const count = histograms.reduce((sum, h) => sum + h.count, 0);
    return {
      rps: count / this.#seconds,
      p50: percentile(histograms, 0.5),
      p99: percentile(histograms, 0.99),
    };
  }
}
