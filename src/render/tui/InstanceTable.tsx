import { Box, Text } from 'ink';

import { fit, STATE_COLOR, typeColor, uptime } from './format.js';
import type { Snapshot } from './store.js';

// One row per instance: name, pid, port, state, uptime, restarts, requests, errors; the selected one marked
// with › (readable without colours, NO_COLOR included) and inverted.
export function InstanceTable({
  snapshot,
  selected,
  now,
  width,
}: {
  snapshot: Snapshot;
  selected: number;
  now: number;
  width: number;
}) {
  const narrow = width < 70;
  const head = narrow
    ? `  ${fit('NAME', 10)}${fit('STATE', 9)}${fit('UP', 7)}${fit('RST', 4)}${fit('REQ', 6)}ERR`
    : `  ${fit('NAME', 12)}${fit('PID', 8)}${fit('PORT', 7)}${fit('STATE', 10)}${fit('UPTIME', 9)}${fit('RESTARTS', 10)}${fit('REQUESTS', 10)}ERRORS`;
  return (
    <Box flexDirection="column">
      <Text bold dimColor>
        {head}
      </Text>
      {snapshot.instances.length === 0 ? <Text dimColor>(no instance yet)</Text> : null}
      {snapshot.instances.map((row, i) => {
        const up = row.state === 'ready' || row.state === 'draining' ? uptime(now - row.startedAt) : '-';
        const cells = narrow
          ? [
              fit(row.name, 10),
              fit(row.state, 9),
              fit(up, 7),
              fit(String(row.restarts), 4),
              fit(String(row.requests), 6),
              String(row.errors),
            ]
          : [
              fit(row.name, 12),
              fit(String(row.pid), 8),
              fit(String(row.port ?? '-'), 7),
              fit(row.state, 10),
              fit(up, 9),
              fit(String(row.restarts), 10),
              fit(String(row.requests), 10),
              String(row.errors),
            ];
        const [name = '', ...rest] = cells;
        const stateIndex = narrow ? 0 : 2;
        return (
          <Text key={row.name} inverse={i === selected} wrap="truncate-end">
            {i === selected ? '› ' : '  '}
            <Text color={typeColor(snapshot.types, row.type)}>{name}</Text>
            {rest.map((cell, c) => (
              <Text key={c} color={c === stateIndex ? STATE_COLOR[row.state] : undefined}>
                {cell}
              </Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
