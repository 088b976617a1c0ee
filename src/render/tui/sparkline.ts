// A minute of a figure as one line of block characters, one per second, scaled to the line's own highest
// value; what happened to the formation in a second (traffic.ts's marks: + - r k x) replaces its bar, so a
// scale-up or a kill sits on the time line exactly where throughput and latency changed.
import type { Mark } from '../../stats/traffic.js';

const BARS = '▁▂▃▄▅▆▇█';

/** the last `width` seconds; a second without a value (no request, so no latency) is a blank */
export function sparkline(
  values: ReadonlyArray<number | undefined>,
  marks: ReadonlyArray<Mark | undefined>,
  width: number,
): string {
  const start = Math.max(0, values.length - width);
  const shown = values.slice(start);
  const max = Math.max(0, ...shown.map((v) => v ?? 0));
  return shown
    .map((value, i) => {
      const mark = marks[start + i];
      if (mark !== undefined) return mark;
      if (value === undefined) return ' ';
      const level = max === 0 ? 0 : Math.round((value / max) * (BARS.length - 1));
      return BARS[level] ?? BARS[0];
    })
    .join('')
    .padStart(width);
}
