import { Box, Text } from 'ink';

import { useColor } from './colors.js';
import { cellsOf, headOf, TIERS, tierOf } from './columns.js';
import { fit, STATE_COLOR, typeColor } from './format.js';
import type { Snapshot } from './store.js';

/** the first row shown when `rows` of `total` fit: the selected one always among them */
export function tableWindow(total: number, selected: number, rows: number): number {
  if (total <= rows) return 0;
  return Math.max(0, Math.min(selected - Math.floor(rows / 2), total - rows));
}

// One row per instance, in Procfile order: name, pid, port, state, uptime, restarts, requests, errors, and
// where there is room the process group's CPU (percent of a core) and resident memory, then its requests per
// second and p50/p99 latency over the last seconds (columns.ts); the selected one marked with › (readable
// without colours) and inverted. When the rows do not fit in `rows`, the table shows a window around the
// selected one and says how many are above and below.
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
  const columns = TIERS[tierOf(width)];
  const all = snapshot.instances;
  const first = tableWindow(all.length, selected, rows);
  const shown = all.slice(first, first + rows);
  const hidden = all.length - shown.length;
  // rows above or below the window: the name column's title says which ones are shown
  const [, ...titles] = headOf(columns);
  const title = fit(hidden > 0 ? `${first + 1}-${first + shown.length}/${all.length}` : 'NAME', columns[0]?.width ?? 0);
  const head = `  ${title}${titles.join('')}`;
  const context = { now, looping: snapshot.looping, traffic: snapshot.traffic.instances };
  return (
    <Box flexDirection="column">
      <Text bold dimColor wrap="truncate-end">
        {head}
      </Text>
      {all.length === 0 ? <Text dimColor>(no instance yet)</Text> : null}
      {shown.map((row, i) => {
        const index = first + i;
        const [name = '', ...rest] = cellsOf(columns, row, context);
        return (
          <Text key={row.name} inverse={index === selected} wrap="truncate-end">
            {index === selected ? '› ' : '  '}
            <Text color={c(typeColor(snapshot.types, row.type))}>{name}</Text>
            {rest.map((cell, column) => (
              <Text key={column} color={c(columns[column + 1]?.state ? STATE_COLOR[row.state] : undefined)}>
                {cell}
              </Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
