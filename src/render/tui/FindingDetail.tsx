import { Box, Text } from 'ink';

import { findingLines } from '../../report/text.js';
import { useColor } from './colors.js';
import type { Snapshot } from './store.js';

// One finding opened with Enter: as the text report shows it, and the command that replays the run.
/** the lines of one finding's view: as the text report shows it, and the command that replays the run */
export function findingView(snapshot: Snapshot, index: number, replay: string): string[] {
  const finding = snapshot.findings[index];
  if (!finding) return [];
  return [
    `finding ${index + 1} of ${snapshot.findings.length}  (esc to close)`,
    '',
    ...findingLines(finding),
    '',
    `replay: ${replay}`,
  ];
}

export function FindingDetail({ lines, height, scroll }: { lines: readonly string[]; height: number; scroll: number }) {
  const c = useColor();
  const top = Math.max(0, Math.min(scroll, lines.length - height));
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {lines.slice(top, top + height).map((line, i) => (
        <Text key={top + i} wrap="wrap" bold={top + i === 2} color={c(line.startsWith('  fix:') ? 'green' : undefined)}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
