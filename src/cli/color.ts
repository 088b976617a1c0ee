// Whether amnesia's output is coloured when no flag says: FORCE_COLOR wins (set and not 0/false: colours,
// even into a pipe, as CI logs that render ANSI want), then NO_COLOR and TERM=dumb turn colours off, then a
// terminal decides (Node's hasColors: its colour depth from TERM, COLORTERM and the CI variables).
export interface ColorTarget {
  isTTY?: boolean;
  hasColors?: (env?: Record<string, string | undefined>) => boolean;
}

export function colorWanted(stream: ColorTarget, env: Record<string, string | undefined>): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if ((env['NO_COLOR'] ?? '') !== '' || env['NODE_DISABLE_COLORS'] !== undefined || env['TERM'] === 'dumb')
    return false;
  return stream.isTTY === true && (stream.hasColors?.(env) ?? true);
}
