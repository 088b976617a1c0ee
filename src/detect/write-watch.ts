import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import type { FSWatcher } from 'chokidar';
import picomatch from 'picomatch';

import type { EventBus } from '../events/bus.js';
import type { InstanceRef } from '../events/types.js';
import { gitignoreGlobs } from '../watch/gitignore.js';

/** never counted: dependencies, the repository, test coverage, and the bytecode interpreters cache */
export const DEFAULT_IGNORED_WRITES = ['node_modules/**', '.git/**', 'coverage/**', '**/__pycache__/**', '**/*.pyc'];

type Change = 'added' | 'changed' | 'removed';
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

  // Loads chokidar on first use (it is not needed by `run` or `validate`).
  static async start(root: string, ignore: readonly string[], bus: EventBus, tmpRoot?: string): Promise<WriteWatch> {
    const { watch } = await import('chokidar');
    const ignored = picomatch([...DEFAULT_IGNORED_WRITES, ...ignore.flatMap((glob) => [glob, `${glob}/**`])], { dot: true });
    const gitignoreFile = join(root, '.gitignore');
    const gitignored = picomatch(existsSync(gitignoreFile) ? gitignoreGlobs(readFileSync(gitignoreFile, 'utf8')) : [], { dot: true });
    const skip = (path: string): boolean => {
      const rel = relative(root, path);
      return rel !== '' && (ignored(rel) || rel === 'node_modules' || rel === '.git' || rel === 'coverage');
    };
    const last = { at: 0 };
    const app = watch(root, { ignored: skip, ignoreInitial: true, persistent: true });
    const onApp = (change: Change) => (path: string) => {
      last.at = Date.now();
      const rel = relative(root, path);
      bus.emit({ kind: 'file:written', path: rel, change, gitignored: gitignored(rel) });
    };
    app.on('add', onApp('added')).on('change', onApp('changed')).on('unlink', onApp('removed')).on('error', () => undefined);
    const watchers = [app];
    if (tmpRoot !== undefined) {
      const tmp = watch(tmpRoot, { ignoreInitial: true, persistent: true });
      const onTmp = (change: Change) => (path: string) => {
        const [dir, ...rest] = relative(tmpRoot, path).split(sep);
        const instance = tmpOwner(dir ?? '');
        if (instance && rest.length > 0) bus.emit({ kind: 'tmp:written', instance, path: rest.join('/'), change });
      };
      tmp.on('add', onTmp('added')).on('change', onTmp('changed')).on('unlink', onTmp('removed')).on('error', () => undefined);
      watchers.push(tmp);
    }
    await Promise.all(watchers.map((w) => new Promise<void>((resolve) => w.once('ready', () => resolve()))));
    return new WriteWatch(watchers, last);
  }

  readonly #last: { at: number };

  private constructor(watchers: FSWatcher[], last: { at: number }) {
    this.#watchers = watchers;
    this.#last = last;
  }

  /** resolves once no write has been reported for QUIET_MS (at most 1 s): the last writes of a run land */
  async quiet(): Promise<void> {
    const until = Date.now() + 1000;
    do await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    while (Date.now() - this.#last.at < QUIET_MS && Date.now() < until);
  }

  async close(): Promise<void> {
    await Promise.all(this.#watchers.map((w) => w.close()));
  }
}
