import type { Run } from '../shared/run-handle.js';

// Starts a run, does the work, stops the run (whatever happened), and returns the work's result. A user
// error that ended the run (a command not found) is what the check reports, over the work's own error.
export async function withRun<T>(run: Run, work: () => Promise<T>): Promise<T> {
  await run.start();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await run.controls.stop('check finished');
    throw run.failure ?? error;
  }
  await run.controls.stop('check finished');
  if (run.failure) throw run.failure;
  return result;
}
