import { fileURLToPath } from 'node:url';

import { spawnWatchdog, type WatchdogHandle } from './spawn.js';

// The manager's side of the watchdog (watchdog.sh): tells it which process groups and temp dirs to reap if we die.
export class Watchdog {
  readonly #handle: WatchdogHandle;

  constructor(
    timeoutMs: number,
    handle: WatchdogHandle = spawnWatchdog(fileURLToPath(new URL('./watchdog.sh', import.meta.url))),
  ) {
    this.#handle = handle;
    this.#handle.send(`t ${timeoutMs}`);
  }

  trackGroup(pgid: number): void {
    this.#handle.send(`+g ${pgid}`);
  }

  untrackGroup(pgid: number): void {
    this.#handle.send(`-g ${pgid}`);
  }

  trackDir(dir: string): void {
    this.#handle.send(`+d ${dir}`);
  }

  untrackDir(dir: string): void {
    this.#handle.send(`-d ${dir}`);
  }

  /** processes whose environment carries AMNESIA_RUN_ID=<run>.<uid> are reaped too, whatever their group */
  trackRun(run: string): void {
    this.#handle.send(`r ${run}`);
  }

  close(): void {
    this.#handle.close();
  }
}
