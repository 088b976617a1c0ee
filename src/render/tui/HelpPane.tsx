import { Box, Text } from 'ink';

import { useColor } from './colors.js';

export const HELP = [
  ['↑ ↓', 'select an instance (in findings: a finding)'],
  ['enter', 'open the selected finding (esc closes it)'],
  ['r', 'restart the instance (replacement first); on a crash-looping type: start it again'],
  ['R', 'rolling restart of every instance'],
  ['k', 'kill the instance (SIGKILL: a crash on purpose)'],
  ['s', 'stop the instance, or start it again'],
  ['+ -', "scale the instance's type up or down"],
  ['L', "send load to the instance's type (amnesia load); L again stops it"],
  ['c', 'pause or resume the scheduled restarts'],
  ['b', 'cycle the balance mode'],
  ['tab', 'next pane: logs, requests, findings (shift-tab: back)'],
  ['f', 'logs of: all, the selected instance, its type'],
  ['/', 'search the logs (enter applies, esc clears)'],
  ['w', 'wrap long log lines'],
  ['PgUp PgDn', 'scroll the pane (Home: oldest, End: follow)'],
  ['?', 'this help (esc or any key closes it); traffic marks: + - scale, r restart, k kill, x crash'],
  ['q, Ctrl-C', 'quit (graceful; twice kills at once)'],
] as const;

// The keys, in as many columns as the height needs: it never pushes the header off a small terminal.
export function HelpPane({ height, width }: { height: number; width: number }) {
  const c = useColor();
  const rows = Math.max(1, height - 1);
  const columns = Math.ceil(HELP.length / rows);
  const columnWidth = Math.max(12, Math.floor(width / columns));
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold>keys</Text>
      <Box flexDirection="row">
        {Array.from({ length: columns }, (_, column) => (
          <Box key={column} flexDirection="column" width={columnWidth}>
            {HELP.slice(column * rows, (column + 1) * rows).map(([key, text]) => (
              <Text key={key} wrap="truncate-end">
                <Text bold color={c('cyan')}>
                  {key.padEnd(10)}
                </Text>
                {text}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
