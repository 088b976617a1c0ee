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

export function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export const fit = (text: string, width: number): string =>
  text.length <= width ? text.padEnd(width) : `${text.slice(0, Math.max(0, width - 1))}…`;
