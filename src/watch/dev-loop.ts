import { join, relative, resolve } from 'node:path';

import type { RunConfig } from '../config/load.js';
import { isUserError, UserErrors } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { realClock, type Clock, type Timer } from '../shared/clock.js';
import { watchFiles, type Change } from './app-watcher.js';
import { gitignoreRule, globRule, type PathRule } from './ignore-rules.js';
import { reconcile, type Reconciliation } from './reconcile.js';

const DEBOUNCE_MS = 300;

/** what the dev loop asks of the run */
export interface DevTarget {
  config(): RunConfig;
  /** the types that have instances */
  types(): string[];
  apply(next: RunConfig, plan: Reconciliation, envChanged: boolean): Promise<void>;
  restartTypes(types: readonly string[], reason: string): Promise<void>;
}

/** starts watching `root` (all but what `skip` leaves out); chokidar by default, a fake in unit tests */
export type Watch = (
  root: string,
  skip: PathRule,
  onChange: (path: string, change: Change) => void,
) => Promise<{ close(): Promise<void> }>;

export interface DevLoopDeps {
  clock?: Clock;
  watch?: Watch;
}

// --watch: a change under the app root restarts the instances (rolling, so no request fails); a change
// to the Procfile or an env file reloads it and reconciles the formation, or keeps the running one when
// the new file is invalid.
export class DevLoop {
  readonly #target: DevTarget;
  readonly #reload: () => RunConfig;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #watch: Watch;
  #watcher: { close(): Promise<void> } | undefined;
  #pending = new Set<string>();
  #timer: Timer | undefined;
  #busy: Promise<void> = Promise.resolve();

  constructor(target: DevTarget, reload: () => RunConfig, bus: EventBus, deps: DevLoopDeps = {}) {
    this.#target = target;
    this.#reload = reload;
    this.#bus = bus;
    this.#clock = deps.clock ?? realClock;
    this.#watch = deps.watch ?? watchFiles;
  }

  async start(ignore: readonly string[]): Promise<void> {
    const { root } = this.#target.config();
    // what git leaves out (build output, caches) is not the developer's edit
    const gitignored = gitignoreRule(root);
    const ignored = globRule(ignore);
    const changed = (path: string): void => {
      this.#pending.add(resolve(path));
      this.#timer?.cancel();
      this.#timer = this.#clock.after(DEBOUNCE_MS, () => {
        const paths = [...this.#pending];
        this.#pending.clear();
        this.#busy = this.#busy.then(() => this.#handle(paths));
      });
    };
    this.#watcher = await this.#watch(root, (rel, dir) => ignored(rel, dir) || gitignored(rel, dir), changed);
  }

  async close(): Promise<void> {
    this.#timer?.cancel();
    await this.#watcher?.close();
    await this.#busy;
  }

  async #handle(paths: string[]): Promise<void> {
    const config = this.#target.config();
    const inputs = [config.procfile, ...(config.envFiles.length > 0 ? config.envFiles : [join(config.root, '.env')])];
    const input = paths.find((path) => inputs.includes(path));
    if (input !== undefined) {
      await this.#reloadFrom(relative(config.root, input) || input, config);
      return;
    }
    const types = this.#target.types();
    this.#bus.emit({ kind: 'watch:changed', files: paths.map((path) => relative(config.root, path)), types });
    await this.#target.restartTypes(types, 'file changed');
  }

  async #reloadFrom(file: string, current: RunConfig): Promise<void> {
    let next: RunConfig;
    try {
      next = this.#reload();
    } catch (error) {
      if (!isUserError(error)) throw error;
      const list = error instanceof UserErrors ? error.errors : [error];
      this.#bus.emit({
        kind: 'watch:invalid',
        file,
        errors: list.map((e) => `${e.where ? `${e.where}: ` : ''}${e.message}`),
      });
      return;
    }
    const plan = reconcile(current.entries, this.#target.types(), next.entries, next.formation);
    const envChanged = JSON.stringify(current.envValues) !== JSON.stringify(next.envValues);
    this.#bus.emit({
      kind: 'watch:reloaded',
      file,
      added: plan.added.map((a) => a.type),
      removed: plan.removed,
      changed: plan.changed,
      envChanged,
    });
    await this.#target.apply(next, plan, envChanged);
  }
}
