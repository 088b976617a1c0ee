import { readdirSync, readFileSync } from 'node:fs';

// Sends a signal to a whole process group; false when the group no longer exists.
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

// Whether any process of the group is still running. Zombies do not count: under an init that does not
// reap (some containers), orphaned grandchildren linger as zombies after they died.
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  return process.platform !== 'linux' || hasLiveMember(pgid);
}

function hasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    // fields after the command name (which may hold spaces): state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** the variable every instance's environment carries: `AMNESIA_RUN_ID=<run>.<uid>`, inherited by descendants */
export const RUN_ID_VAR = 'AMNESIA_RUN_ID';

// Processes that carry this instance's run id but left its process group (setsid, a double fork into a new
// session): found through /proc/PID/environ on Linux. Elsewhere none are found (process groups only).
export function strays(runId: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`\0${RUN_ID_VAR}=${runId}\0`);
  const first = Buffer.from(`${RUN_ID_VAR}=${runId}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57 || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`);
      if (environ.includes(needle) || environ.subarray(0, first.length).equals(first)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

// Stops the strays of an instance: the signal, then SIGKILL to whatever is left after the timeout.
export async function stopStrays(
  runId: string,
  signal: NodeJS.Signals,
  timeoutMs: number,
  pollMs = 20,
): Promise<number> {
  let left = strays(runId);
  const count = left.length;
  const send = (pids: number[], sig: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  send(left, signal);
  const deadline = Date.now() + timeoutMs;
  while (left.length > 0 && Date.now() < deadline && signal !== 'SIGKILL') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    left = strays(runId).filter((pid) => left.includes(pid));
  }
  send(left, 'SIGKILL');
  return count;
}
