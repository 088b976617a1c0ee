import { constants } from 'node:os';

// The exit code a shell reports for a process ended by `signal`: 128 + the signal's number on this OS
// (from Node, not a table: SIGUSR1 is 10 on Linux and 30 on macOS). 0 for no signal, 129 for a name
// this OS does not know.
export function signalExitCode(signal: string | null | undefined): number {
  if (!signal) return 0;
  return 128 + ((constants.signals as Record<string, number | undefined>)[signal] ?? 1);
}
