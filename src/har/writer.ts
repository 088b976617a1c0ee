// `start --record FILE.har`: entries go to the file in batches, each batch written over the previous closing
// brackets and followed by new ones, so the file is valid HAR after every batch (a crash loses at most the
// last batch, never the file), and a long session holds at most one batch in memory. Written with mode 600:
// it holds the cookies and Authorization headers as the browser sent them. A write that fails (a full disk)
// ends the recording, not the run: the file is cut back to the entries before it and its brackets closed
// again, so it stays valid HAR, and the failure is said once.
import { chmodSync, closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

import { entryJson } from './entry.js';
import type { Exchange, ExchangeSink } from './exchange.js';
import { RECORD_BODY_LIMIT } from './exchange.js';

const TAIL = '\n]}}\n';
/** a batch goes out when it holds this much, or FLUSH_MS after its first entry */
const BATCH_BYTES = 256 * 1024;
const FLUSH_MS = 200;

export interface HarWriterOptions {
  path: string;
  version: string;
  /** schedules the next flush (the run's clock) */
  setTimer: (fn: () => void, ms: number) => { cancel(): void };
  /** writing failed: nothing more is recorded */
  onError?: (message: string) => void;
  /** the file's writes (a test's full disk); node:fs's by default */
  fs?: {
    writeSync: (fd: number, bytes: Buffer, offset: number, length: number, position: number) => number;
    ftruncateSync: (fd: number, length: number) => void;
  };
}

export class HarWriter implements ExchangeSink {
  readonly path: string;
  readonly #fd: number;
  readonly #setTimer: HarWriterOptions['setTimer'];
  /** where the next batch goes: just before the closing brackets */
  #position: number;
  /** the batch: each entry is encoded into this one buffer as it comes (joining a batch's entries into one
   *  string and encoding that cost the router's thread ~5 µs an entry; this, ~0.3 µs) */
  readonly #buffer = Buffer.allocUnsafeSlow(BATCH_BYTES + TAIL.length);
  #used = 0;
  #batchEntries = 0;
  #timer: { cancel(): void } | undefined;
  #written = 0;
  #closed = false;
  readonly #fs: NonNullable<HarWriterOptions['fs']>;
  readonly #onError: HarWriterOptions['onError'];
  /** why writing stopped, if it did */
  error: string | undefined;

  constructor(options: HarWriterOptions) {
    this.path = options.path;
    this.#setTimer = options.setTimer;
    this.#fs = options.fs ?? { writeSync, ftruncateSync };
    this.#onError = options.onError;
    this.#fd = openSync(options.path, 'w', 0o600);
    // an existing file keeps its mode when truncated
    chmodSync(options.path, 0o600);
    const comment =
      `recorded by amnesia start --record; request and response bodies over ${RECORD_BODY_LIMIT} bytes are cut ` +
      '(the entry says so); cookies and Authorization headers are as the client sent them';
    const log = { version: '1.2', creator: { name: 'amnesia', version: options.version }, comment };
    const head = Buffer.from(`${JSON.stringify({ log }).slice(0, -2)},"entries":[\n`);
    writeSync(this.#fd, Buffer.concat([head, Buffer.from(TAIL)]), 0, head.length + TAIL.length, 0);
    this.#position = head.length;
  }

  /** entries recorded so far (once writing failed: those in the file) */
  get entries(): number {
    return this.#written + this.#batchEntries;
  }

  add(exchange: Exchange): void {
    if (this.#closed || this.error !== undefined) return;
    const entry = entryJson(exchange);
    const json = this.entries === 0 ? entry : `,\n${entry}`;
    // at most 3 bytes a UTF-16 unit: an entry that might not fit goes after the batch before it
    if (this.#used + json.length * 3 > BATCH_BYTES) this.flush();
    if (this.error !== undefined) return;
    if (json.length * 3 > BATCH_BYTES) {
      // larger than a batch (a large body): written on its own
      const bytes = Buffer.from(json + TAIL);
      this.#append(bytes, bytes.length - TAIL.length, 1);
      return;
    }
    this.#used += this.#buffer.write(json, this.#used);
    this.#batchEntries++;
    this.#timer ??= this.#setTimer(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#batchEntries === 0 || this.error !== undefined) return;
    this.#buffer.write(TAIL, this.#used);
    const used = this.#used;
    const entries = this.#batchEntries;
    // emptied first: a failed write says how many entries the file holds
    this.#used = 0;
    this.#batchEntries = 0;
    this.#append(this.#buffer, used, entries);
  }

  /** `length` bytes of entries and the closing brackets after them, at the end of the entries */
  #append(bytes: Buffer, length: number, entries: number): void {
    const size = length + TAIL.length;
    try {
      // a write may take only part (the disk filling up): the rest goes on until it is all written or fails
      for (let done = 0; done < size;) {
        const n = this.#fs.writeSync(this.#fd, bytes, done, size - done, this.#position + done);
        if (n === 0) throw new Error(`the file took no more bytes after ${this.#position + done}`);
        done += n;
      }
      this.#position += length;
      this.#written += entries;
    } catch (error) {
      this.error = (error as Error).message;
      try {
        // back to the last whole batch: the brackets it was written with fit where the failed batch began
        this.#fs.ftruncateSync(this.#fd, this.#position);
        this.#fs.writeSync(this.#fd, Buffer.from(TAIL), 0, TAIL.length, this.#position);
      } catch {
        // the file may end mid-entry: the error says writing failed
      }
      this.#onError?.(this.error);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    closeSync(this.#fd);
  }
}
