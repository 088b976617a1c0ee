// Everything an instance needs from the operating system, behind one interface: starting a shell, signalling
// and watching its process group, its temp dir, a port and a readiness probe. The real one by default;
// unit tests of the supervisor and the instance pass a fake (test/fakes/processes.ts).
import { mkdirSync, rmSync } from 'node:fs';

import type { Clock } from '../shared/clock.js';
import { freePort } from './free-port.js';
import { groupUsage, type GroupUsage } from './group-usage.js';
import { groupAlive, signalGroup, stopStrays } from './process-group.js';
import { httpProbe, tcpProbe, type Probe } from './readiness.js';
import { spawnShell, type Spawn } from './spawn.js';

export interface ProcessControl {
  spawn: Spawn;
  /** false when the group no longer exists */
  signalGroup(pgid: number, signal: NodeJS.Signals): boolean;
  groupAlive(pgid: number): boolean;
  /** signals the processes that left the group but carry the instance's run id; SIGKILL after the timeout */
  stopStrays(runId: string, signal: NodeJS.Signals, timeoutMs: number): Promise<number>;
  makeDir(path: string): void;
  removeDir(path: string): void;
  freePort(host: string): Promise<number>;
  /** CPU time and resident memory of the live members of these groups (a group with none is left out) */
  groupUsage(pgids: readonly number[]): Promise<Map<number, GroupUsage>>;
  /** GET `health` answers 2xx/3xx, or (no health path) the port accepts connections */
  probe(host: string, port: number, health: string | undefined): Probe;
}

export const realProcessControl: ProcessControl = {
  spawn: spawnShell,
  signalGroup,
  groupAlive,
  stopStrays,
  makeDir: (path) => void mkdirSync(path, { recursive: true }),
  removeDir: (path) => rmSync(path, { recursive: true, force: true }),
  freePort,
  groupUsage,
  probe: (host, port, health) => (health ? httpProbe(host, port, health) : tcpProbe(host, port)),
};

const POLL_MS = 20;

// Resolves true once the group has no live member, false if it is still alive at the deadline.
export async function waitGroupGone(
  control: ProcessControl,
  clock: Clock,
  pgid: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    if (!control.groupAlive(pgid)) return true;
    if (clock.now() >= deadline) return false;
    await clock.sleep(POLL_MS);
  }
}
