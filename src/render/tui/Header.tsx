import { Box, Text } from 'ink';

import { useColor } from './colors.js';
import { latencyText, rateText } from './columns.js';
import { fit, typeColor } from './format.js';
import { sparkline } from './sparkline.js';
import type { Snapshot } from './store.js';

/** the header's part that changes with time alone: the restart countdown */
export function headerClock(snapshot: Snapshot, now: number, paused: boolean): string {
  const { nextRestartAt } = snapshot;
  const restart = paused
    ? 'restarts paused'
    : nextRestartAt === undefined
      ? snapshot.restartEveryMs === undefined
        ? 'no restarts'
        : 'restart pending'
      : `next restart in ${Math.max(0, Math.ceil((nextRestartAt - now) / 1000))}s`;
  return `${restart} · ${rateText(snapshot.traffic.rps)} req/s`;
}

/** what a traffic row holds besides its two sparklines */
const FIXED = 8 + ' req/s '.length + 8 + ' p99 '.length + 9 + ' ● load'.length;

// One line per routed type: req/s and p99 over the last minute as sparklines (one character a second, marks
// where the formation changed), with the figures of the last seconds; `● load` while `L` sends load to it.
function TrafficRow({
  row,
  width,
  types,
  load,
}: {
  row: Snapshot['traffic']['types'][number];
  width: number;
  types: string[];
  load: boolean;
}) {
  const c = useColor();
  const spark = Math.max(8, Math.min(60, Math.floor((width - FIXED) / 2)));
  const { figures, history } = row;
  return (
    <Text wrap="truncate-end">
      <Text color={c(typeColor(types, row.type))}>{fit(row.type, 8)}</Text>
      <Text dimColor>req/s </Text>
      {sparkline(history.rps, history.marks, spark)}
      {` ${fit(rateText(figures.rps), 7)}`}
      <Text dimColor>p99 </Text>
      {sparkline(history.p99, history.marks, spark)}
      {` ${fit(figures.p99 === undefined ? '-' : `${latencyText(figures.p99)}ms`, 8)}`}
      {load ? <Text color={c('yellow')}> ● load</Text> : null}
    </Text>
  );
}

// Router URLs, formation, balance mode, seed, restart countdown, requests per second; then a traffic row per
// routed type.
export function Header({ snapshot, clock, width }: { snapshot: Snapshot; clock: string; width: number }) {
  const c = useColor();
  const running = snapshot.types.map(
    (type) => [type, snapshot.instances.filter((row) => row.type === type && row.state !== 'stopped').length] as const,
  );
  const formation = snapshot.instances.length > 0 ? running : snapshot.formation;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={c('cyan')}>
          amnesia
        </Text>
        {snapshot.routers.map((router) => (
          <Text key={router.type}>
            {'  '}
            {router.type} → <Text bold>{router.url}</Text>
          </Text>
        ))}
        {'  '}
        <Text color={c(snapshot.status === 'running' ? 'green' : 'yellow')}>{snapshot.statusText}</Text>
      </Text>
      <Text wrap="truncate-end" dimColor>
        {formation.map(([type, n]) => `${type}=${n}`).join(' ')} · {snapshot.balance} · seed {snapshot.seed} · {clock}
      </Text>
      {snapshot.traffic.types.map((row) => (
        <TrafficRow
          key={row.type}
          row={row}
          width={width}
          types={snapshot.types}
          load={snapshot.loads.includes(row.type)}
        />
      ))}
    </Box>
  );
}
