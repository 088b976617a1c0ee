import { relative } from 'node:path';

import { watch, type FSWatcher } from 'chokidar';
import picomatch from 'picomatch';

import type { EventBus } from '../events/bus.js';

export const DEFAULT_IGNORED_WRITES = ['node_modules/**', '.git/**', 'coverage/**'];

// Watches the app root for files created, changed or removed while the app runs (local-write findings).
export class WriteWatch {
  readonly #watcher: FSWatcher;
  readonly #ready: Promise<void>;

  constructor(root: string, ignore: readonly string[], bus: EventBus) {
    const ignored = picomatch([...DEFAULT_IGNORED_WRITES, ...ignore.flatMap((glob) => [glob, `${glob}/**`])], { dot: true });
    const skip = (path: string): boolean => {
      const rel = relative(root, path);
      return rel !== '' && (ignored(rel) || rel === 'node_modules' || rel === '.git' || rel === 'coverage');
    };
    this.#watcher = watch(root, { ignored: skip, ignoreInitial: true, persistent: true });
    this.#ready = new Promise((resolve) => this.#watcher.once('ready', () => resolve()));
    const emit = (change: 'added' | 'changed' | 'removed') => (path: string) => bus.emit({ kind: 'file:written', path: relative(root, path), change });
    this.#watcher.on('add', emit('added')).on('change', emit('changed')).on('unlink', emit('removed')).on('error', () => undefined);
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  close(): Promise<void> {
    return this.#watcher.close();
  }
}
