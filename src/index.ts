export { createRun, type Run, type RunControls } from './run.js';
export type { RunEvent, InstanceState } from './events/types.js';
export { loadAppConfig, planRun, type AppConfig, type RunConfig } from './config/load.js';
export { UserError } from './errors.js';
