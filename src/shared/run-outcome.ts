import type { UserError } from '../errors.js';

// How a run ended, as the core sees it. Which exit code each means is the CLI's decision (cli/exit-codes.ts).
export type RunOutcome =
  /** asked to stop (Ctrl-C, q, a signal, the end of a check) and stopped gracefully */
  | { kind: 'stopped' }
  /** killed at once: a second Ctrl-C, or a kill on purpose */
  | { kind: 'killed' }
  /** every instance has ended by itself (workers that finished, or crashed and gave up) */
  | { kind: 'ended'; crashed: boolean }
  /** --exit-on-crash: an instance exited, with its code or signal */
  | { kind: 'instance-exited'; name: string; code: number | null; signal: string | null }
  /** the run could not go on: start-up failed, a command cannot run */
  | { kind: 'failed'; error: UserError };
