export { createRun } from './run/create-run.js';
export type { Run, RunControls } from './shared/run-handle.js';
export type { RunOutcome } from './shared/run-outcome.js';
export type { RunEvent, InstanceState } from './events/types.js';
export { loadAppConfig, planRun, type AppConfig, type RunConfig } from './config/load.js';
export { UserError } from './errors.js';
