import { fstatSync, statSync, type Stats } from 'node:fs';
import { relative, sep } from 'node:path';

import type { FSWatcher } from 'chokidar';

import type { EventBus } from '../events/bus.js';
import type { InstanceRef } from '../events/types.js';
import { realClock, type Clock } from '../shared/clock.js';
import { relativePath, watchFiles, type Change } from '../watch/app-watcher.js';
import { gitignoreRule, globRule } from '../watch/ignore-rules.js';

/** never counted (besides node_modules and .git): test coverage and the bytecode interpreters cache */
const DEFAULT_IGNORED_WRITES = ['coverage/', '__pycache__/', '*.pyc'];
const QUIET_MS = 100;

/** `web.2-7` (an instance's TMPDIR under the run's temp root) -> its instance */
export function tmpOwner(dir: string): InstanceRef | undefined {
  const match = /^(.+)\.(\d+)-(\d+)$/.exec(dir);
  return match ? { name: `${match[1]}.${match[2]}`, type: match[1] ?? '', uid: Number(match[3]) } : undefined;
}

/** a test of whether a changed file is one amnesia itself writes: the recording (`start --record
 *  session.har` in the app root, as the README's loop has it) and the manager's own output when it was
 *  redirected to a file there (`amnesia start > amnesia.log`). Compared by device and inode, so a file is
 *  known however its path is spelled; a file found by its path but created later is not amnesia's. */
export function ownFiles(paths: readonly string[]): (path: string) => boolean {
  const ids = new Set<string>();
  const add = (stats: () => Stats): void => {
    try {
      const s = stats();
      if (s.isFile()) ids.add(`${s.dev}:${s.ino}`);
    } catch {
      // a closed descriptor or a missing file: nothing of ours
    }
  };
  for (const fd of [1, 2]) add(() => fstatSync(fd));
  for (const path of paths) add(() => statSync(path));
  if (ids.size === 0) return () => false;
  return (path) => {
    try {
      const s = statSync(path);
      return ids.has(`${s.dev}:${s.ino}`);
    } catch {
      return false;
    }
  };
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
    own: readonly string[] = [],
  ): Promise<WriteWatch> {
    const gitignored = gitignoreRule(root);
    const ours = ownFiles(own);
    const last = { at: 0 };
    const onApp = (path: string, change: Change): void => {
      if (ours(path)) return;
      last.at = clock.now();
      const rel = relativePath(root, path);
      bus.emit({ kind: 'file:written', path: rel, change, gitignored: gitignored(rel) });
    };
    // amnesia's own files by path too, so the watcher neither watches them nor stats them at each write: a
    // recording is written several times a second under load
    const ownPaths = new Set(own.map((path) => relativePath(root, path)));
    const skip = globRule([...DEFAULT_IGNORED_WRITES, ...ignore]);
    const watchers = [await watchFiles(root, (rel, dir) => ownPaths.has(rel) || skip(rel, dir), onApp)];
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
