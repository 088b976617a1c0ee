import { Box, Text } from 'ink';

import { shownState } from '../../events/instance-rows.js';
import { useColor } from './colors.js';

import { bytesText, cpuText, fit, STATE_COLOR, typeColor, uptimeOf } from './format.js';
import type { InstanceRow, Snapshot } from './store.js';

/** the first row shown when `rows` of `total` fit: the selected one always among them */
export function tableWindow(total: number, selected: number, rows: number): number {
  if (total <= rows) return 0;
  return Math.max(0, Math.min(selected - Math.floor(rows / 2), total - rows));
}

type Width = 'narrow' | 'medium' | 'wide';

function cells(row: InstanceRow, state: string, up: string, width: Width): string[] {
  return width === 'narrow'
    ? [
        fit(row.name, 10),
        fit(state, 10),
        fit(up, 7),
        fit(String(row.restarts), 4),
        fit(String(row.requests), 6),
        String(row.errors),
      ]
    : [
        fit(row.name, 12),
        fit(String(row.pid), 8),
        fit(String(row.port ?? '-'), 7),
        fit(state, 11),
        fit(up, 9),
        fit(String(row.restarts), 10),
        fit(String(row.requests), 10),
        ...(width === 'wide' ? [fit(String(row.errors), 8), fit(cpuText(row.cpu), 6), bytesText(row.rss)] : []),
        ...(width === 'medium' ? [String(row.errors)] : []),
      ];
}

// One row per instance, in Procfile order: name, pid, port, state, uptime, restarts, requests, errors, and
// where there is room the process group's CPU (percent of a core) and resident memory; the
// selected one marked with › (readable without colours) and inverted. When the rows do not fit in `rows`,
// the table shows a window around the selected one and says how many are above and below.
export function InstanceTable({
  snapshot,
  selected,
  now,
  width,
  rows = snapshot.instances.length,
}: {
  snapshot: Snapshot;
  selected: number;
  now: number;
  width: number;
  rows?: number;
}) {
  const c = useColor();
  const size: Width = width < 70 ? 'narrow' : width < 92 ? 'medium' : 'wide';
  const all = snapshot.instances;
  const first = tableWindow(all.length, selected, rows);
  const shown = all.slice(first, first + rows);
  const hidden = all.length - shown.length;
  // rows above or below the window: the name column's title says which ones are shown
  const title = (width: number): string =>
    fit(hidden > 0 ? `${first + 1}-${first + shown.length}/${all.length}` : 'NAME', width);
  const head =
    size === 'narrow'
      ? `  ${title(10)}${fit('STATE', 10)}${fit('UP', 7)}${fit('RST', 4)}${fit('REQ', 6)}ERR`
      : `  ${title(12)}${fit('PID', 8)}${fit('PORT', 7)}${fit('STATE', 11)}${fit('UPTIME', 9)}${fit('RESTARTS', 10)}${fit('REQUESTS', 10)}` +
        (size === 'wide' ? `${fit('ERRORS', 8)}${fit('CPU%', 6)}RSS` : 'ERRORS');
  return (
    <Box flexDirection="column">
      <Text bold dimColor wrap="truncate-end">
        {head}
      </Text>
      {all.length === 0 ? <Text dimColor>(no instance yet)</Text> : null}
      {shown.map((row, i) => {
        const index = first + i;
        const up = uptimeOf(row, now);
        const [name = '', ...rest] = cells(row, shownState(row, snapshot.looping), up, size);
        const stateIndex = size === 'narrow' ? 0 : 2;
        return (
          <Text key={row.name} inverse={index === selected} wrap="truncate-end">
            {index === selected ? '› ' : '  '}
            <Text color={c(typeColor(snapshot.types, row.type))}>{name}</Text>
            {rest.map((cell, column) => (
              <Text key={column} color={c(column === stateIndex ? STATE_COLOR[row.state] : undefined)}>
                {cell}
              </Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
