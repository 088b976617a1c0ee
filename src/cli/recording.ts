// `start --record FILE.har` at the command line: the file opened before anything runs (a path that cannot be
// written is a usage error, not a recording silently lost), the warning that it holds credentials, a failure
// to write (a full disk) said while the run goes on, and what was recorded said at the end.
import { relative, resolve } from 'node:path';

import { UserError } from '../errors.js';
import { HarWriter } from '../har/writer.js';
import { realClock } from '../shared/clock.js';
import type { Run } from '../shared/run-handle.js';
import type { CliContext } from './context.js';
import { warnOnStart } from './warn-on-start.js';

const HINT = 'free space there, or record to another folder';

export class Recording {
  readonly recorder: HarWriter;
  readonly #ctx: CliContext;
  #run: Run | undefined;

  constructor(ctx: CliContext, file: string, version: string) {
    this.#ctx = ctx;
    const path = resolve(ctx.cwd, file);
    try {
      this.recorder = new HarWriter({
        path,
        version,
        setTimer: (fn, ms) => realClock.after(ms, fn),
        onError: (message) =>
          this.#run?.events.emit({
            kind: 'run:warning',
            message: `recording to ${this.#file} stopped: ${message}; it holds the ${this.recorder.entries} requests recorded before that (${HINT})`,
          }),
      });
    } catch (error) {
      throw new UserError('RECORD_PATH', `cannot write --record ${file}: ${(error as Error).message}`, {
        where: '--record',
        hint: 'give a .har file path in a folder amnesia can write to',
      });
    }
  }

  get #file(): string {
    return shownPath(this.#ctx.cwd, this.recorder.path);
  }

  /** says, once the run starts, that the file holds credentials */
  attach(run: Run): void {
    this.#run = run;
    warnOnStart(
      run,
      `recording every request to ${this.#file} (mode 600): it holds cookies and Authorization headers as sent`,
    );
  }

  /** writes what is left, closes the file and says what it holds */
  close(): void {
    this.recorder.close();
    const { entries, error } = this.recorder;
    const file = this.#file;
    this.#ctx.stderr.write(
      error === undefined
        ? `recorded ${entries} requests to ${file}; replay them with: amnesia check --replay ${file}\n`
        : `recorded ${entries} requests to ${file}, then writing failed (${error}): the rest was not recorded (${HINT})\n`,
    );
  }
}

/** relative to the working folder when inside it, else absolute */
const shownPath = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
};
