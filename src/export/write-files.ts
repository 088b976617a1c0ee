import { closeSync, constants, lstatSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { UserError } from '../errors.js';

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

// Writes exported files without writing through what is there: nothing is replaced without `force`, and
// then the old entry (a file, or a link: never what it points at) is removed and a new file created with
// its own mode, so a secret file is 0600 even where a 0644 one stood.
export function writeExport(
  target: string,
  files: ReadonlyMap<string, string>,
  modeOf: (name: string) => number,
  force: boolean,
  shown: string,
): void {
  mkdirSync(target, { recursive: true });
  const present = [...files.keys()].filter((name) => exists(join(target, name)));
  if (present.length > 0 && !force) {
    throw new UserError('EXPORT_EXISTS', `${shown} already has ${present.join(', ')}; nothing was written`, {
      where: shown,
      hint: 'export to a new folder, or add --force to replace those files (links are replaced, never followed)',
    });
  }
  for (const [name, content] of files) {
    const path = join(target, name);
    if (present.includes(name)) unlinkSync(path);
    const fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      modeOf(name),
    );
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
  }
}
