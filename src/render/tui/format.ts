import type { InstanceState } from '../../events/types.js';

// Colours that read on dark and light backgrounds: the 8 basic ones, never white or black text.
export const STATE_COLOR: Record<InstanceState, string> = {
  starting: 'yellow',
  ready: 'green',
  draining: 'cyan',
  stopping: 'magenta',
  stopped: 'gray',
  crashed: 'red',
  done: 'blue',
};

const PALETTE = ['cyan', 'yellow', 'green', 'magenta', 'red', 'blue'];

export const typeColor = (types: readonly string[], type: string): string =>
  PALETTE[Math.max(0, types.indexOf(type)) % PALETTE.length] ?? 'cyan';

// Seconds only in the first minute, as pm2 and docker ps show it: an idle screen then changes once a
// minute rather than every second, and is not redrawn for nothing (bench:tui's idle CPU).
export function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

/** an instance's uptime cell: only a running one has one */
export const uptimeOf = (row: { state: string; startedAt: number }, now: number): string =>
  row.state === 'ready' || row.state === 'draining' ? uptime(now - row.startedAt) : '-';

export const fit = (text: string, width: number): string =>
  text.length <= width ? text.padEnd(width) : `${text.slice(0, Math.max(0, width - 1))}…`;

/** percent of one core, as top shows it: `0.4`, `12`, `180`; `-` before the first sample */
export const cpuText = (cpu: number | undefined): string =>
  cpu === undefined ? '-' : cpu < 10 ? cpu.toFixed(1) : String(Math.round(cpu));

/** resident memory in binary units, as ps and top show it: `812K`, `48M`, `1.2G`; `-` before the first sample */
export function bytesText(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}
