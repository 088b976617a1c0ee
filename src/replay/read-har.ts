// Reads a HAR file for `check --replay`: amnesia's own recordings, Chrome's and Firefox's DevTools exports,
// Playwright's recordHar (bodies embedded, or attached beside the file as `_file`). A file that is not HAR
// is a usage error that says where (the JSON's line, or the entry and field), never a stack trace. A large
// recording is read entry by entry (har/entry-texts.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { UserError } from '../errors.js';
import { eachEntryText } from '../har/entry-texts.js';
import type { Har, HarEntry } from '../har/har.js';

const fail = (file: string, where: string, message: string): UserError =>
  new UserError('REPLAY_HAR', `${file} is not a HAR file amnesia can replay: ${message}`, {
    where: `${file}${where}`,
    hint: 'record one with amnesia start --record FILE.har, or export it from the browser (DevTools, Network, "Save all as HAR") or Playwright (recordHar)',
  });

/** line:column of a character offset */
function lineOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `:${line}:${offset - before.lastIndexOf('\n')}`;
}

// V8 names the position, or (Node 20, for some errors) only quotes the text around it
function jsonErrorAt(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position !== undefined) return lineOf(text, Number(position));
  const quoted = /"(?:\.\.\.)?([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(error.message)?.[1];
  const offset = quoted ? text.indexOf(quoted) : -1;
  return offset === -1 ? '' : lineOf(text, offset);
}

/** every entry of the file, checked (and its attachments read), in file order: entry by entry when the file is
 *  laid out as HAR (nothing but the entry at hand is held), else from a parse of the whole file, which also
 *  says where a file that is not JSON goes wrong */
export function eachHarEntry(path: string, shown: string, visit: (entry: HarEntry) => void): void {
  const folder = dirname(path);
  let i = 0;
  const take = (entry: HarEntry): void => {
    check(entry, i++, shown);
    attach(entry, folder);
    visit(entry);
  };
  let streamed: boolean;
  try {
    streamed = eachEntryText(path, (text) => take(JSON.parse(text) as HarEntry));
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail(shown, '', 'no such file');
    if (code !== undefined) throw fail(shown, '', String(error));
    streamed = false;
  }
  if (!streamed) wholeFile(path, shown).forEach(take);
}

export function readHar(path: string, shown: string): HarEntry[] {
  const entries: HarEntry[] = [];
  eachHarEntry(path, shown, (entry) => entries.push(entry));
  return entries;
}

function wholeFile(path: string, shown: string): HarEntry[] {
  const text = readFileSync(path, 'utf8');
  let har: Har;
  try {
    har = JSON.parse(text) as Har;
  } catch (error) {
    throw fail(shown, jsonErrorAt(text, error as Error), `invalid JSON (${(error as Error).message})`);
  }
  const entries = har?.log?.entries;
  if (!Array.isArray(entries)) throw fail(shown, '', 'no log.entries list');
  // every entry checked before any is taken
  entries.forEach((entry, i) => check(entry, i, shown));
  return entries;
}

function check(entry: HarEntry, i: number, file: string): void {
  const at = (field: string): string => ` (log.entries[${i}].${field})`;
  const request = entry?.request;
  if (typeof request?.method !== 'string') throw fail(file, at('request.method'), 'a request without a method');
  if (typeof request.url !== 'string' || !URL.canParse(request.url))
    throw fail(file, at('request.url'), `the URL ${JSON.stringify(request.url)} is not absolute`);
  if (Number.isNaN(Date.parse(entry.startedDateTime)))
    throw fail(file, at('startedDateTime'), `${JSON.stringify(entry.startedDateTime)} is not an ISO 8601 date`);
  if (!Array.isArray(request.headers)) throw fail(file, at('request.headers'), 'headers must be a list');
  if (typeof entry.response?.status !== 'number')
    throw fail(file, at('response.status'), 'a response without a status');
}

// Playwright's `content: "attach"` keeps bodies in files beside the HAR; a missing one leaves the body
// unknown (its values cannot be bound, the rest replays)
function attach(entry: HarEntry, folder: string): void {
  const content = entry.response.content;
  if (content?._file && content.text === undefined) {
    content.text = attachment(folder, content._file);
    if (content.text !== undefined) content.encoding = 'base64';
  }
  const post = entry.request.postData;
  if (post?._file && post.text === undefined) {
    post.text = attachment(folder, post._file);
    if (post.text !== undefined) post._encoding = 'base64';
  }
}

function attachment(folder: string, file: string): string | undefined {
  try {
    return readFileSync(join(folder, file)).toString('base64');
  } catch {
    return undefined;
  }
}
