// The one place that turns outcomes into exit codes: the core reports how a run or a check ended
// (RunOutcome, CheckVerdict), main.ts and the commands return these numbers, bin.ts sets them.
import { UserError } from '../errors.js';
import type { CheckVerdict } from '../check/run-check.js';
import type { RunOutcome } from '../shared/run-outcome.js';
import { signalExitCode } from '../shared/signals.js';

/** 0: clean · 1: a failure the run observed · 2: usage, config or start-up error · 130: interrupted (128 + SIGINT) */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export function runExitCode(outcome: RunOutcome): number {
  switch (outcome.kind) {
    case 'stopped':
      return EXIT.ok;
    case 'killed':
      return EXIT.interrupted;
    case 'ended':
      return outcome.crashed ? EXIT.failed : EXIT.ok;
    case 'instance-exited': {
      // Foreman's --exit-on-crash: the child's own code, 128 + n for a signal; a clean exit still ended the run
      const code = outcome.code ?? signalExitCode(outcome.signal);
      return code === 0 ? EXIT.failed : code;
    }
    case 'failed':
      return EXIT.usage;
  }
}

export function checkExitCode(verdict: CheckVerdict): number {
  return verdict === 'passed' ? EXIT.ok : verdict === 'findings' ? EXIT.failed : EXIT.usage;
}

// An error that reached main: the user's to fix (2, with its hint), or a bug in amnesia (1).
export function errorExitCode(error: unknown): number {
  return error instanceof UserError ? EXIT.usage : EXIT.failed;
}
