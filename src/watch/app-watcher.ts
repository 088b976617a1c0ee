import { relative, sep } from 'node:path';

import type { FSWatcher } from 'chokidar';

import type { PathRule } from './ignore-rules.js';

export type Change = 'added' | 'changed' | 'removed';

/** `path` relative to `root` with forward slashes, as rules and reports name files */
export const relativePath = (root: string, path: string): string => relative(root, path).split(sep).join('/');

// The one way amnesia watches files (chokidar, loaded on first use: `run` and `validate` never need it):
// everything under `root` but what `skip` leaves out, without the files already there; resolves once ready.
export async function watchFiles(
  root: string,
  skip: PathRule | undefined,
  onChange: (path: string, change: Change) => void,
): Promise<FSWatcher> {
  const { watch } = await import('chokidar');
  const ignored =
    skip &&
    ((path: string, stats?: { isDirectory(): boolean }) => skip(relativePath(root, path), stats?.isDirectory()));
  const watcher = watch(root, { ignoreInitial: true, persistent: true, ...(ignored ? { ignored } : {}) });
  const on = (change: Change) => (path: string) => onChange(path, change);
  watcher
    .on('add', on('added'))
    .on('change', on('changed'))
    .on('unlink', on('removed'))
    .on('error', () => undefined);
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return watcher;
}
