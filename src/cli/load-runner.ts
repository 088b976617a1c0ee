// The UI's `L`: `amnesia load` against a routed type's router, started and stopped from the keyboard. It runs
// as a process of its own (tied to this one: it ends when the manager does), so the load it makes costs the
// router's process nothing but the requests, and bench:tui can tell the UI's CPU from the load's.
import type { Run } from '../shared/run-handle.js';
import { spawnTied, type TiedChild } from '../supervisor/spawn.js';
import type { LoadSwitch } from '../render/tui/render-tui.js';
import type { LoadSummary } from '../load/generate.js';

/** a closed loop on this many connections: enough to keep a few instances busy, few enough for one core */
export const UI_LOAD_CONNECTIONS = 16;

export class LoadRunner implements LoadSwitch {
  readonly #run: Run;
  readonly #script: string;
  readonly #env: Record<string, string | undefined>;
  readonly #running = new Map<string, TiedChild>();
  readonly #listeners: Array<(types: string[], notice: string) => void> = [];

  constructor(run: Run, script: string, env: Record<string, string | undefined>) {
    this.#run = run;
    this.#script = script;
    this.#env = env;
    void run.finished.then(() => this.stopAll());
  }

  listen(listener: (types: string[], notice: string) => void): void {
    this.#listeners.push(listener);
  }

  toggle(type: string): void {
    const running = this.#running.get(type);
    if (running) return running.stop();
    const url = this.#run.urls().get(type);
    if (url === undefined) return this.#tell(`${type} has no router: L sends load to a routed type`);
    // `-d 1h`: until L is pressed again (or the run ends)
    const args = ['load', url, '-c', String(UI_LOAD_CONNECTIONS), '-d', '1h', '--json'];
    const child = spawnTied(this.#script, args, { ...this.#env, NO_COLOR: '1' });
    this.#running.set(type, child);
    this.#tell(`load on ${type}: ${UI_LOAD_CONNECTIONS} connections, closed loop (L again stops it)`);
    void child.exited.then(() => {
      this.#running.delete(type);
      this.#tell(`load on ${type} stopped: ${outcome(child)}`);
    });
  }

  stopAll(): void {
    for (const child of this.#running.values()) child.stop();
  }

  #tell(notice: string): void {
    for (const listener of this.#listeners) listener([...this.#running.keys()], notice);
  }
}

/** what the load's summary says: how many were answered, how many failed (5xx or no answer), p99 */
function outcome(child: TiedChild): string {
  let summary: LoadSummary;
  try {
    summary = JSON.parse(child.stdout()) as LoadSummary;
  } catch {
    return child.stderr().trim().split('\n')[0] || 'it printed no summary';
  }
  const failed =
    Object.values(summary.errors).reduce((a, b) => a + b, 0) +
    Object.entries(summary.statuses).reduce((sum, [status, n]) => sum + (Number(status) >= 500 ? n : 0), 0);
  const p99 = summary.latencyMs ? `, p99 ${Math.round(summary.latencyMs.p99)}ms` : '';
  return `${summary.requests.toLocaleString('en-US')} answered${p99}, ${failed} failed`;
}
