import { describe, expect, test } from 'vitest';

import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  test('one bar per second scaled to the highest; marks replace their second; blanks where nothing was measured', () => {
    expect(sparkline([0, 1, 2, 4, 8], [], 5)).toBe('▁▂▃▅█');
    expect(sparkline([4, 4, undefined, 8], [undefined, '+', undefined, undefined], 4)).toBe('▅+ █');
    expect(sparkline([0, 0, 0], [], 3)).toBe('▁▁▁');
  });

  test('narrower than the history: the last seconds, marks with them; wider: padded on the left', () => {
    expect(sparkline([8, 1, 2, 4], [undefined, undefined, 'k', undefined], 2)).toBe('k█');
    expect(sparkline([1], [], 3)).toBe('  █');
  });
});
