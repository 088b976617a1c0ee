// A throwaway app folder with a Procfile, loaded the way `amnesia start` loads it, for unit tests of the run
// and of check on a fake OS.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadAppConfig, planRun, type RunConfig } from '../../src/config/load.js';
import type { RunWatchdog } from '../../src/run/create-run.js';

const made: string[] = [];

export function appConfig(
  procfile: string,
  flags: Record<string, unknown> = {},
  command: 'start' | 'check' = 'start',
): RunConfig {
  const dir = mkdtempSync(join(tmpdir(), 'amnesia-unit-'));
  made.push(dir);
  writeFileSync(join(dir, 'Procfile'), procfile);
  return planRun(loadAppConfig({ command, flags: flags as never, env: {}, cwd: dir }), []);
}

export function removeApps(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** a watchdog that only records what it was told */
export function quietWatchdog(): RunWatchdog & { told: string[] } {
  const told: string[] = [];
  return {
    told,
    trackGroup: (pgid) => void told.push(`+g ${pgid}`),
    untrackGroup: (pgid) => void told.push(`-g ${pgid}`),
    trackDir: (dir) => void told.push(`+d ${dir}`),
    untrackDir: (dir) => void told.push(`-d ${dir}`),
    trackRun: (run) => void told.push(`r ${run}`),
    close: () => void told.push('close'),
  };
}
