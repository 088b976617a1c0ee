import { Box, Text } from 'ink';

import { useColor } from './colors.js';

import type { Snapshot } from './store.js';

/** the header's part that changes with time alone: the restart countdown and the request rate */
export function headerClock(snapshot: Snapshot, now: number, paused: boolean, rps: number): string {
  const { nextRestartAt } = snapshot;
  const restart = paused
    ? 'restarts paused'
    : nextRestartAt === undefined
      ? snapshot.restartEveryMs === undefined
        ? 'no restarts'
        : 'restart pending'
      : `next restart in ${Math.max(0, Math.ceil((nextRestartAt - now) / 1000))}s`;
  return `${restart} · ${rps.toFixed(1)} req/s`;
}

// Router URLs, formation, balance mode, seed, restart countdown, requests per second.
export function Header({ snapshot, clock }: { snapshot: Snapshot; clock: string }) {
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
    </Box>
  );
}
