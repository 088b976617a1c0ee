// A latency histogram of fixed memory (13 KB), as HdrHistogram keeps one: values in microseconds, exact up
// to 255 µs, then 128 buckets per power of two, so a percentile read back is within 0.4% of the value
// recorded (a bucket's midpoint is at most half of 1/128 away). Recording is an index and an increment.

/** bits of precision: 2^7 = 128 buckets per octave */
const P = 7;
const SUB = 1 << P;
/** values above 2^32-1 µs (71 minutes) are recorded as that */
const MAX_US = 2 ** 32 - 1;
const BUCKETS = (32 - P + 1) * SUB;

function indexOf(us: number): number {
  const v = Math.min(MAX_US, Math.max(0, Math.round(us))) >>> 0;
  if (v < 2 * SUB) return v;
  const e = 31 - Math.clz32(v);
  return (e - P + 1) * SUB + ((v >>> (e - P)) - SUB);
}

/** the middle of a bucket's range of values */
function valueOf(index: number): number {
  if (index < 2 * SUB) return index;
  const e = Math.floor(index / SUB) + P - 1;
  const width = 2 ** (e - P);
  const low = (SUB + (index % SUB)) * width;
  return low + (width - 1) / 2;
}

export interface Percentiles {
  count: number;
  /** milliseconds */
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  /** the largest value recorded, exact (µs) */
  maxUs = 0;

  /** one value, in milliseconds (fractions kept to the microsecond) */
  record(ms: number): void {
    const us = ms * 1000;
    const index = indexOf(us);
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count++;
    if (us > this.maxUs) this.maxUs = us;
  }

  reset(): void {
    if (this.count === 0) return;
    this.counts.fill(0);
    this.count = 0;
    this.maxUs = 0;
  }

  /** the p50, p90, p99 and max of this one histogram; undefined when it holds nothing */
  percentiles(): Percentiles | undefined {
    return merged([this]);
  }
}

/** the value (ms) below which `q` (0-1) of the recorded values lie, over several histograms at once (the
 *  seconds of a sliding window), without adding them up into a new one */
export function percentile(histograms: readonly Histogram[], q: number): number | undefined {
  const total = histograms.reduce((sum, h) => sum + h.count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  // a bucket's midpoint may lie above the largest value in it
  const max = Math.max(...histograms.map((h) => h.maxUs));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    for (const h of histograms) seen += h.counts[i] ?? 0;
    if (seen >= rank) return Math.min(max, valueOf(i)) / 1000;
  }
  return undefined;
}

export function merged(histograms: readonly Histogram[]): Percentiles | undefined {
  const count = histograms.reduce((sum, h) => sum + h.count, 0);
  if (count === 0) return undefined;
  const max = Math.max(...histograms.map((h) => h.maxUs)) / 1000;
  const at = (q: number): number => percentile(histograms, q) ?? 0;
  return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max };
}
