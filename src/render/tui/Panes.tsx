import { Box, Text } from 'ink';

import { formatDuration } from '../../config/duration.js';
import { useColor } from './colors.js';
import { fit, typeColor } from './format.js';
import type { LogLine, RequestRow, Snapshot } from './store.js';
import { PANES, type Pane } from './ui-state.js';

export function PaneTabs({
  pane,
  filter,
  search,
  below,
}: {
  pane: Pane;
  filter: string;
  search: string;
  /** lines newer than a scrolled view; 0: following */
  below: number;
}) {
  const c = useColor();
  return (
    <Text wrap="truncate-end">
      {PANES.map((name) => (
        <Text key={name} bold={name === pane} inverse={name === pane}>
          {` ${name} `}
        </Text>
      ))}
      {below > 0 ? <Text color={c('yellow')}>{`  ↑${below} · End to follow`}</Text> : null}
      <Text dimColor>
        {'  '}logs: {filter}
        {search ? ` · /${search}` : ''}
      </Text>
    </Text>
  );
}

/** `text` with every case-insensitive match of `search` inverted */
function Highlighted({ text, search }: { text: string; search: string }) {
  if (search === '') return <>{text}</>;
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  const parts: Array<{ text: string; match: boolean }> = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return (
    <>
      {parts.map((part, i) => (
        <Text key={i} inverse={part.match}>
          {part.text}
        </Text>
      ))}
    </>
  );
}

// Log lines [start, end) of `lines` (the view's window), names coloured, amnesia's own lines dim, search
// matches inverted. Unwrapped, one row per line; wrapped, the newest lines that fit in `height` rows.
export function LogPane({
  lines,
  types,
  height,
  width,
  start,
  end,
  search,
  wrap,
}: {
  lines: readonly LogLine[];
  types: readonly string[];
  height: number;
  width: number;
  start: number;
  end: number;
  search: string;
  wrap: boolean;
}) {
  const c = useColor();
  let shown = lines.slice(start, end);
  const nameWidth = Math.max(6, ...shown.map((line) => line.name.length));
  if (wrap) {
    const rowsOf = (line: LogLine | undefined): number =>
      Math.max(1, Math.ceil((nameWidth + 3 + (line?.text.length ?? 0)) / Math.max(1, width)));
    let rows = 0;
    let first = end;
    while (first > 0) {
      const need = rowsOf(lines[first - 1]);
      if (rows + need > height && first < end) break;
      rows += need;
      first--;
    }
    shown = lines.slice(first, end);
  }
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {shown.length === 0 ? <Text dimColor>(no output yet)</Text> : null}
      {shown.map((line) => (
        <Text key={line.seq} wrap={wrap ? 'wrap' : 'truncate-end'} dimColor={line.event}>
          <Text color={c(typeColor(types, line.type))}>{line.name.padEnd(nameWidth)} │ </Text>
          <Highlighted text={line.text} search={search} />
        </Text>
      ))}
    </Box>
  );
}

export function RequestPane({
  snapshot,
  rows,
  height,
}: {
  snapshot: Snapshot;
  rows: readonly RequestRow[];
  height: number;
}) {
  const c = useColor();
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {rows.length === 0 ? <Text dimColor>(no request yet: try the router URL above)</Text> : null}
      {rows.map((r) => (
        <Text key={r.seq} wrap="truncate-end">
          {fit(r.method, 7)}
          {fit(r.path, 28)}{' '}
          <Text color={c(typeColor(snapshot.types, r.instance.split('.')[0] ?? ''))}>{fit(r.instance, 9)}</Text>
          <Text color={c(r.status >= 500 ? 'red' : r.status >= 400 ? 'yellow' : 'green')}>
            {fit(String(r.status), 4)}
          </Text>
          {fit(formatDuration(r.durationMs), 8)}
          <Text color={c('magenta')}>{r.afterRestart ? 'after restart' : r.hop ? 'hop' : ''}</Text>
        </Text>
      ))}
    </Box>
  );
}

// One finding per two rows, the cursor on one (Enter opens it); the list scrolls to keep the cursor shown.
export function FindingsPane({ snapshot, height, cursor }: { snapshot: Snapshot; height: number; cursor: number }) {
  const c = useColor();
  const perPage = Math.max(1, Math.floor(height / 2));
  const first = Math.max(0, Math.min(cursor - perPage + 1, snapshot.findings.length - perPage));
  const shown = snapshot.findings.slice(first, first + perPage);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {snapshot.findings.length === 0 ? <Text color={c('green')}>no finding so far</Text> : null}
      {shown.map((f, i) => (
        <Box key={first + i} flexDirection="column">
          <Text wrap="truncate-end" inverse={first + i === cursor}>
            {first + i === cursor ? '› ' : '  '}
            <Text color={c('red')} bold>
              {f.kind}
            </Text>{' '}
            {f.route}{' '}
            <Text dimColor>
              ({f.instances.join(' → ')}, ×{f.count})
            </Text>
          </Text>
          <Text wrap="truncate-end" dimColor>
            {'    '}fix: {f.hint}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
