import type { EventOf } from '../events/types.js';
import { RingBuffer } from '../shared/ring-buffer.js';
import type { RuleContext } from './context.js';
import { brief, safeMethod, type Request } from './evidence.js';
import { FILE_STATE, fileKind } from './file-kind.js';
import { fileHint } from './hints.js';
import { routePattern } from './route-pattern.js';

interface Write {
  /** `$TMPDIR/report.txt` or a path under the app root */
  shown: string;
  uid: number | undefined;
  name: string | undefined;
  at: number;
  /** the request that most likely wrote it */
  cause: Request | undefined;
}

const KEEP = 200;
/** a write this long after a request's end is still put down to it */
const ATTRIBUTE_MS = 2000;
/** how long after a write its request's report may come */
const SETTLE_MS = 50;

// Files written on one instance's disk: its private temp dir, or under the app root. A write is a finding
// when it is state by its nature (a database file, an upload left in the app's folder), a log finding for
// log files, and otherwise evidence that explains a lost object on another instance.
export class LocalState {
  readonly #writes: Write[] = [];
  /** the last 50 requests: a ring, since shifting an array moved every entry on every request */
  readonly #recent = new RingBuffer<{ e: Request; at: number }>(50);
  readonly #ctx: Omit<RuleContext, 'local'>;

  constructor(ctx: Omit<RuleContext, 'local'>) {
    this.#ctx = ctx;
  }

  request(e: Request, at: number): void {
    this.#recent.push({ e, at });
  }

  tmp(e: EventOf<'tmp:written'>, at: number): void {
    if (e.change === 'removed') return;
    const cause = this.#cause(e.instance.uid, at);
    this.#remember({ shown: `$TMPDIR/${e.path}`, uid: e.instance.uid, name: e.instance.name, at, cause });
  }

  // A write put down to the write request that just ended; when none has, its response may not be
  // reported yet (the app writes before it answers), so the cause is looked for a moment later.
  file(e: EventOf<'file:written'>, at: number): void {
    const writer = this.#cause(undefined, at);
    if (writer && !safeMethod(writer.method)) return this.#file(e, at, writer);
    this.#ctx.track(
      new Promise<void>((resolve) => {
        setTimeout(() => {
          this.#file(e, at, this.#cause(undefined, at + SETTLE_MS));
          resolve();
        }, SETTLE_MS).unref();
      }),
    );
  }

  #file(e: EventOf<'file:written'>, at: number, cause: Request | undefined): void {
    const ctx = this.#ctx;
    const kind = fileKind(e.path);
    const write = { shown: e.path, uid: cause?.instance?.uid, name: cause?.instance?.name, at, cause };
    // ignored by git and a cache by nature (a build cache, a pid file): evidence only, unless another
    // instance later misses what it holds; ignored uploads or databases are still state
    if (e.gitignored && kind === 'cache') return this.#remember(write);
    if (e.change === 'removed' && kind !== 'upload') return;
    const around = cause ? `, around ${brief(ctx.redactor, cause)}` : ' before any request';
    const where = cause?.instance ? ctx.instances.describe(cause.instance.uid, cause.instance.name) : undefined;
    const database = kind === 'database';
    const stem = e.path.replace(/(-journal|-wal|-shm)$/, '');
    ctx.raise({
      kind: kind === 'log' ? 'log-file' : 'local-write',
      // a database or log file belongs to the app root, whichever instance wrote it: one finding per file
      type: database || kind === 'log' ? '(app)' : (cause?.type ?? '(app)'),
      instances: cause?.instance ? [cause.instance.name] : [],
      route: database || kind === 'log' ? stem : cause ? routePattern(cause.method, cause.path) : '(at boot)',
      evidence: [
        `${e.path} was ${e.change}${around}`,
        database
          ? 'every host would have its own copy of this database: writes on one are invisible to the others, and a new container starts without it'
          : '',
        e.gitignored ? `${e.path} is in .gitignore, so it was not committed; it still lives on this host only` : '',
      ].filter((line) => line !== ''),
      hint: fileHint(ctx.stack, kind, false),
      state: FILE_STATE[kind],
      heldBy: where ? `the app root's disk on this host (written by ${where})` : "the app root's disk on this host",
      ...(kind === 'log' ? { advisory: true } : {}),
    });
    this.#remember(write);
  }

  // The writes by this instance that explain an object: named after one of its ids, else the first write
  // just after the request that created it.
  explain(
    uid: number,
    ids: readonly string[],
    created: Request | undefined,
    createdAt: number | undefined,
  ): { line: string; inTempDir: boolean } | undefined {
    const mine = this.#writes.filter((w) => w.uid === uid || w.uid === undefined);
    const named = mine.find((w) => ids.some((id) => id.length >= 3 && w.shown.includes(id)));
    const timed =
      createdAt === undefined
        ? undefined
        : mine.find((w) => w.at >= createdAt - 50 && w.at - createdAt <= ATTRIBUTE_MS);
    const write = named ?? timed;
    if (!write) return undefined;
    const who = write.name ?? 'the app';
    const when =
      created && createdAt !== undefined
        ? ` (${Math.max(0, write.at - createdAt)} ms after ${created.method} ${created.path})`
        : '';
    return { line: `${who} wrote ${write.shown}${when}`, inTempDir: write.shown.startsWith('$TMPDIR/') };
  }

  #remember(write: Write): void {
    this.#writes.push(write);
    if (this.#writes.length > KEEP) this.#writes.shift();
  }

  // The latest request (a write first) that was in flight or had just ended on that instance.
  #cause(uid: number | undefined, at: number): Request | undefined {
    const latest = this.#recent
      .toArray()
      .reverse()
      .filter((r) => (uid === undefined || r.e.instance?.uid === uid) && at - r.at <= ATTRIBUTE_MS * 5)
      .map((r) => r.e);
    return latest.find((r) => !safeMethod(r.method)) ?? latest[0];
  }
}
