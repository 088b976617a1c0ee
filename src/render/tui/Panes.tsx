import { Box, Text } from 'ink';

import { fit, typeColor } from './format.js';
import type { LogLine, Snapshot } from './store.js';

export const PANES = ['logs', 'requests', 'findings'] as const;
export type Pane = (typeof PANES)[number];

export function PaneTabs({ pane, filter, search }: { pane: Pane; filter: string; search: string }) {
  return (
    <Text wrap="truncate-end">
      {PANES.map((name) => (
        <Text key={name} bold={name === pane} inverse={name === pane}>
          {` ${name} `}
        </Text>
      ))}
      <Text dimColor>
        {'  '}logs: {filter}
        {search ? ` · /${search}` : ''}
      </Text>
    </Text>
  );
}

// The last `height` log lines (after `scroll` lines back), all interleaved or filtered, names coloured.
export function LogPane({
  lines,
  types,
  height,
  scroll,
}: {
  lines: readonly LogLine[];
  types: readonly string[];
  height: number;
  scroll: number;
}) {
  const end = Math.max(0, lines.length - scroll);
  const shown = lines.slice(Math.max(0, end - height), end);
  const width = Math.max(6, ...shown.map((line) => line.name.length));
  return (
    <Box flexDirection="column" height={height}>
      {shown.length === 0 ? <Text dimColor>(no output yet)</Text> : null}
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          <Text color={typeColor(types, line.type)}>{line.name.padEnd(width)} │ </Text>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}

export function RequestPane({ snapshot, height }: { snapshot: Snapshot; height: number }) {
  const shown = snapshot.requests.slice(-height);
  return (
    <Box flexDirection="column" height={height}>
      {shown.length === 0 ? <Text dimColor>(no request yet: try the router URL above)</Text> : null}
      {shown.map((r, i) => (
        <Text key={i} wrap="truncate-end">
          {fit(r.method, 7)}
          {fit(r.path, 28)}{' '}
          <Text color={typeColor(snapshot.types, r.instance.split('.')[0] ?? '')}>{fit(r.instance, 9)}</Text>
          <Text color={r.status >= 500 ? 'red' : r.status >= 400 ? 'yellow' : 'green'}>{fit(String(r.status), 4)}</Text>
          {fit(`${r.durationMs}ms`, 8)}
          <Text color="magenta">{r.afterRestart ? 'after restart' : r.hop ? 'hop' : ''}</Text>
        </Text>
      ))}
    </Box>
  );
}

export function FindingsPane({ snapshot, height }: { snapshot: Snapshot; height: number }) {
  return (
    <Box flexDirection="column" height={height}>
      {snapshot.findings.length === 0 ? <Text color="green">no finding so far</Text> : null}
      {snapshot.findings.slice(-Math.max(1, Math.floor(height / 2))).map((f, i) => (
        <Box key={i} flexDirection="column">
          <Text wrap="truncate-end">
            <Text color="red" bold>
              {f.kind}
            </Text>{' '}
            {f.route}{' '}
            <Text dimColor>
              ({f.instances.join(' → ')}, ×{f.count})
            </Text>
          </Text>
          <Text wrap="truncate-end" dimColor>
            {'  '}fix: {f.hint}
          </Text>
        </Box>
      ))}
    </Box>
  );
}

export const HELP = [
  ['↑ ↓', 'select an instance'],
  ['r', 'restart the selected instance (replacement first)'],
  ['R', 'rolling restart of every instance'],
  ['k', 'kill the selected instance (SIGKILL: a crash on purpose)'],
  ['+ -', "scale the selected instance's type up or down"],
  ['c', 'pause or resume the scheduled restarts'],
  ['b', 'cycle the balance mode'],
  ['tab', 'switch pane: logs, requests, findings'],
  ['f', 'logs of: all, the selected instance, its type'],
  ['/', 'search the logs (enter to apply, esc to clear)'],
  ['PgUp PgDn', 'scroll the logs'],
  ['?', 'this help'],
  ['q, Ctrl-C', 'quit (graceful; twice kills at once)'],
] as const;

export function HelpPane() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>keys</Text>
      {HELP.map(([key, text]) => (
        <Text key={key}>
          <Text bold color="cyan">
            {key.padEnd(10)}
          </Text>
          {text}
        </Text>
      ))}
    </Box>
  );
}
