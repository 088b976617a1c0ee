import { relative } from 'node:path';

import type { FSWatcher } from 'chokidar';
import picomatch from 'picomatch';

import type { EventBus } from '../events/bus.js';

export const DEFAULT_IGNORED_WRITES = ['node_modules/**', '.git/**', 'coverage/**'];

// Watches the app root for files created, changed or removed while the app runs (local-write findings).
export class WriteWatch {
  readonly #watcher: FSWatcher;
  readonly #ready: Promise<void>;

  // Loads chokidar on first use (it is not needed by `run` or `validate`).
  static async start(root: string, ignore: readonly string[], bus: EventBus): Promise<WriteWatch> {
    const { watch } = await import('chokidar');
    const ignored = picomatch([...DEFAULT_IGNORED_WRITES, ...ignore.flatMap((glob) => [glob, `${glob}/**`])], { dot: true });
    const watchWith = (root_: string, skip: (path: string) => boolean): FSWatcher => watch(root_, { ignored: skip, ignoreInitial: true, persistent: true });
    const instance = new WriteWatch(root, ignored, bus, watchWith);
    await instance.#ready;
    return instance;
  }

  private constructor(root: string, ignored: (path: string) => boolean, bus: EventBus, watch: (root: string, skip: (path: string) => boolean) => FSWatcher) {
    const skip = (path: string): boolean => {
      const rel = relative(root, path);
      return rel !== '' && (ignored(rel) || rel === 'node_modules' || rel === '.git' || rel === 'coverage');
    };
    this.#watcher = watch(root, skip);
    this.#ready = new Promise((resolve) => this.#watcher.once('ready', () => resolve()));
    const emit = (change: 'added' | 'changed' | 'removed') => (path: string) => bus.emit({ kind: 'file:written', path: relative(root, path), change });
    this.#watcher.on('add', emit('added')).on('change', emit('changed')).on('unlink', emit('removed')).on('error', () => undefined);
  }

  close(): Promise<void> {
    return this.#watcher.close();
  }
}
