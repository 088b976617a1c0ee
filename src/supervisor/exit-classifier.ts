// What an instance's exit means for the run: asked for, a worker that finished, a command that cannot run at
// all, a crash that ends the run (--exit-on-crash), or a crash to retry with backoff.
import type { ExitInfo } from './instance-types.js';

export type ExitMeaning = 'stopped' | 'done' | 'cannot-run' | 'fatal-crash' | 'crash';

export interface ExitContext {
  routed: boolean;
  /** the run is ending: every exit is a stop */
  stopping: boolean;
  exitOnCrash: boolean;
}

export function classifyExit(exit: ExitInfo, context: ExitContext): ExitMeaning {
  if (exit.requested || context.stopping) return 'stopped';
  // a routed type serves until stopped: even exit 0 is a crash; a worker may finish its job
  if (!context.routed && exit.code === 0) return 'done';
  // 126/127: the shell could not execute or find the command; retrying cannot help
  if (exit.error !== undefined || exit.code === 126 || exit.code === 127) return 'cannot-run';
  return context.exitOnCrash ? 'fatal-crash' : 'crash';
}
