import { relative, sep } from 'node:path';

import type { FSWatcher } from 'chokidar';

import type { EventBus } from '../events/bus.js';
import type { InstanceRef } from '../events/types.js';
import { realClock, type Clock } from '../shared/clock.js';
import { watchFiles, type Change } from '../watch/app-watcher.js';
import { gitignoreRule, globRule } from '../watch/ignore-rules.js';

/** never counted (besides node_modules and .git): test coverage and the bytecode interpreters cache */
const DEFAULT_IGNORED_WRITES = ['coverage/', '__pycache__/', '*.pyc'];
const QUIET_MS = 100;

/** `web.2-7` (an instance's TMPDIR under the run's temp root) -> its instance */
export function tmpOwner(dir: string): InstanceRef | undefined {
  const match = /^(.+)\.(\d+)-(\d+)$/.exec(dir);
  return match ? { name: `${match[1]}.${match[2]}`, type: match[1] ?? '', uid: Number(match[3]) } : undefined;
}

// Watches the app root for files created, changed or removed while the app runs (each marked whether
// .gitignore names it), and every instance's private TMPDIR (each write put down to its instance).
export class WriteWatch {
  readonly #watchers: FSWatcher[];

  static async start(
    root: string,
    ignore: readonly string[],
    bus: EventBus,
    tmpRoot?: string,
    clock: Clock = realClock,
  ): Promise<WriteWatch> {
    const gitignored = gitignoreRule(root);
    const last = { at: 0 };
    const onApp = (path: string, change: Change): void => {
      last.at = clock.now();
      const rel = relative(root, path).split(sep).join('/');
      bus.emit({ kind: 'file:written', path: rel, change, gitignored: gitignored(rel) });
    };
    const watchers = [await watchFiles(root, globRule([...DEFAULT_IGNORED_WRITES, ...ignore]), onApp)];
    if (tmpRoot !== undefined) {
      const onTmp = (path: string, change: Change): void => {
        const [dir, ...rest] = relative(tmpRoot, path).split(sep);
        const instance = tmpOwner(dir ?? '');
        if (instance && rest.length > 0) bus.emit({ kind: 'tmp:written', instance, path: rest.join('/'), change });
      };
      watchers.push(await watchFiles(tmpRoot, undefined, onTmp));
    }
    return new WriteWatch(watchers, last, clock);
  }

  readonly #last: { at: number };
  readonly #clock: Clock;

  private constructor(watchers: FSWatcher[], last: { at: number }, clock: Clock) {
    this.#watchers = watchers;
    this.#last = last;
    this.#clock = clock;
  }

  /** resolves once no write has been reported for QUIET_MS (at most 1 s): the last writes of a run land */
  async quiet(): Promise<void> {
    const clock = this.#clock;
    const until = clock.now() + 1000;
    do await clock.sleep(QUIET_MS);
    while (clock.now() - this.#last.at < QUIET_MS && clock.now() < until);
  }

  async close(): Promise<void> {
    await Promise.all(this.#watchers.map((w) => w.close()));
  }
}
