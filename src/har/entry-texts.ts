// The elements of a HAR file's `log.entries`, one at a time, each as its own JSON text: a recording of
// 100,000 requests is read without holding the file, or the whole of its parse, in memory. Only the layout
// is scanned (strings, brackets, the two keys); whatever is not an entry (the skeleton, with each entry
// replaced by 0) is parsed at the end, so a file is accepted only if it is JSON. `false`: not laid out as
// HAR, or not JSON; the caller parses the file whole, for the error's line and column.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;
const [QUOTE, BACKSLASH, COMMA] = [0x22, 0x5c, 0x2c];
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Scan {
  /** per open container: an object's current key (undefined while a key is expected), null for an array */
  readonly #path: Array<string | null | undefined> = [];
  #inString = false;
  #escaped = false;
  /** the key being read, while one is read at the first two levels */
  #key: number[] | undefined;
  /** depth of the entries array once inside it */
  #entries = -1;
  /** the entry being read: its pieces from earlier chunks (none when it began in this one) */
  #element: Buffer[] | undefined;
  /** what is not an entry, as text (multi-byte characters belong inside strings, where a chunk boundary that
   *  splits one changes nothing the parse checks) */
  #skeleton = '';
  #count = 0;

  constructor(readonly each: ((text: string) => void) | undefined) {}

  /** false: the layout is not HAR's */
  chunk(bytes: Buffer): boolean {
    let from = 0; // where the current run of skeleton (or element) bytes began in this chunk
    for (let i = 0; i < bytes.length; i++) {
      // most of a HAR is inside strings (bodies, header values): leap to the quote that ends one
      if (this.#inString && !this.#key && !this.#escaped) i = this.#stringEnd(bytes, i);
      if (i >= bytes.length) break;
      const c = bytes[i]!;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) {
          this.#inString = false;
          if (this.#key) this.#path[this.#path.length - 1] = Buffer.from(this.#key).toString('utf8');
          this.#key = undefined;
        } else this.#key?.push(c);
        continue;
      }
      const depth = this.#path.length;
      if (depth === this.#entries && this.#element === undefined) {
        if (c === 0x7b) {
          this.#skeleton += `${bytes.toString('utf8', from, i)}0`;
          this.#element = [];
          from = i;
        } else if (!SPACE.has(c) && c !== COMMA && c !== 0x5d) return false;
      }
      if (c === QUOTE) {
        this.#inString = true;
        if (depth >= 1 && depth <= 2 && this.#path[depth - 1] === undefined) this.#key = [];
      } else if (c === COMMA) {
        if (depth > 0 && this.#path[depth - 1] !== null) this.#path[depth - 1] = undefined;
      } else if (OPEN.has(c)) {
        if (c === 0x5b && depth === 2 && this.#path[0] === 'log' && this.#path[1] === 'entries') {
          if (this.#entries !== -1) return false; // a second one: the whole parse decides which counts
          this.#entries = depth + 1;
        }
        this.#path.push(c === 0x5b ? null : undefined);
      } else if (CLOSE.has(c)) {
        if (depth === 0) return false;
        this.#path.pop();
        if (depth === this.#entries) this.#entries = -2; // one entries array only
        if (this.#element && depth === this.#entries + 1) {
          const text =
            this.#element.length === 0
              ? bytes.toString('utf8', from, i + 1)
              : Buffer.concat([...this.#element, bytes.subarray(from, i + 1)]).toString('utf8');
          this.#element = undefined;
          from = i + 1;
          this.#count++;
          this.each?.(text);
        }
      }
    }
    // the chunk's buffer is read into again: what an entry still needs of it is copied
    if (this.#element) this.#element.push(Buffer.from(bytes.subarray(from)));
    else this.#skeleton += bytes.toString('utf8', from);
    return true;
  }

  /** the index of the quote ending the string under way, or the chunk's length (its last byte's escape kept) */
  #stringEnd(bytes: Buffer, from: number): number {
    for (let at = from; ;) {
      const quote = bytes.indexOf(QUOTE, at);
      const end = quote === -1 ? bytes.length : quote;
      let backslashes = 0;
      while (end - backslashes - 1 >= from && bytes[end - backslashes - 1] === BACKSLASH) backslashes++;
      if (quote === -1) {
        this.#escaped = backslashes % 2 === 1;
        return bytes.length;
      }
      if (backslashes % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  /** the number of entries, or false when what is not an entry is not JSON */
  end(): number | false {
    if (this.#path.length !== 0 || this.#inString || this.#entries !== -2) return false;
    try {
      JSON.parse(this.#skeleton);
      return this.#count;
    } catch {
      return false;
    }
  }
}

function scan(path: string, each: ((text: string) => void) | undefined): number | false {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const s = new Scan(each);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer))
      if (!s.chunk(buffer.subarray(0, n))) return false;
    return s.end();
  } finally {
    closeSync(fd);
  }
}

/** calls `each` with the text of every entry, in file order, once the whole file is known to be JSON laid out
 *  as HAR (a first pass that keeps nothing); false, without a call, when it is not */
export function eachEntryText(path: string, each: (text: string) => void): boolean {
  if (scan(path, undefined) === false) return false;
  scan(path, each);
  return true;
}
