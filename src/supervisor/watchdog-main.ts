// The watchdog process: it outlives a manager killed with SIGKILL and reaps what that manager left.
// The manager writes `+g PGID`, `-g PGID`, `+d DIR`, `-d DIR`, `t MS` lines to our stdin; when stdin ends
// (the manager exited, or died), every group still listed gets SIGTERM, then SIGKILL, and every dir is removed.
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { groupAlive, signalGroup, waitGroupGone } from './process-group.js';

const groups = new Set<number>();
const dirs = new Set<string>();
let timeoutMs = 5000;

for (const signal of ['SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGPIPE'] as const) process.on(signal, () => undefined);
process.on('SIGTERM', () => void reap());

createInterface({ input: process.stdin }).on('line', (line) => {
  const [op, ...rest] = line.split(' ');
  const arg = rest.join(' ');
  if (op === '+g') groups.add(Number(arg));
  else if (op === '-g') groups.delete(Number(arg));
  else if (op === '+d') dirs.add(arg);
  else if (op === '-d') dirs.delete(arg);
  else if (op === 't') timeoutMs = Number(arg) || timeoutMs;
});
process.stdin.on('end', () => void reap());
process.stdin.on('error', () => void reap());

let reaping = false;
async function reap(): Promise<void> {
  if (reaping) return;
  reaping = true;
  const live = [...groups].filter((pgid) => groupAlive(pgid));
  for (const pgid of live) signalGroup(pgid, 'SIGTERM');
  await Promise.all(live.map((pgid) => waitGroupGone(pgid, timeoutMs, 50)));
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
