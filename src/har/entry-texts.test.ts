import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, test } from 'vitest';

import { eachEntryText } from './entry-texts.js';

const dir = mkdtempSync(join(tmpdir(), 'amnesia-entry-texts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string): string => {
  const path = join(dir, `${n++}.har`);
  writeFileSync(path, text);
  return path;
};
const texts = (path: string): { ok: boolean; entries: unknown[] } => {
  const entries: unknown[] = [];
  const ok = eachEntryText(path, (text) => entries.push(JSON.parse(text)));
  return { ok, entries };
};

// bodies made to trip a scanner: brackets and quotes inside strings, escapes in runs (a run split by the
// 1 MB read boundary leaves its escape to the next read), characters of two to four bytes
const body = (i: number): string =>
  `{"a":[${i}]} \\" \\\\" ${'\\'.repeat(i % 7)}"${'\\\\'.repeat(300 + (i % 13))}"é€😀 ] } [`;
const entry = (i: number): object => ({
  startedDateTime: '2026-12-06T10:00:00.000Z',
  request: { method: 'GET', url: `http://app/${i}`, headers: [] },
  response: { status: 200, content: { text: body(i) } },
});
const entries = Array.from({ length: 4000 }, (_, i) => entry(i));

describe('the entries of a HAR file, one at a time', () => {
  test('one entry per line (as amnesia records) and pretty-printed (as DevTools export), over several reads', () => {
    const log = { version: '1.2', creator: { name: 'x', comment: 'entries: [ { "}' }, entries };
    const oneLine = `{"log":{"version":"1.2","creator":{"name":"x"},"entries":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}}\n`;
    const pretty = JSON.stringify({ log, extra: { entries: [1] } }, null, 2);
    expect(oneLine.length + pretty.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(texts(file(oneLine))).toEqual({ ok: true, entries });
    expect(texts(file(pretty))).toEqual({ ok: true, entries });
  });

  test('a file that is not JSON laid out as HAR gives no entry at all: the whole parse says what is wrong', () => {
    const good = JSON.stringify({ log: { entries: entries.slice(0, 3) } });
    for (const bad of [
      good.slice(0, -10), // cut short, as a killed writer leaves it
      `${good} {}`, // more after the end
      good.replace('"log"', '"lag"'), // no log.entries
      JSON.stringify({ log: { entries: [1, 2] } }), // entries that are not objects
      good.replace('{"log":{', '{"log":{"version":1.2 x,'), // outside the entries, not JSON
    ])
      expect(texts(file(bad))).toEqual({ ok: false, entries: [] });
  });
});
