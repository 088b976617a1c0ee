import { ftruncateSync, mkdtempSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, expect, test } from 'vitest';

import type { Exchange } from './exchange.js';
import type { Har } from './har.js';
import { HarWriter } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'amnesia-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exchange = (i: number, body: string): Exchange => ({
  ...{ startedMs: Date.parse('2026-12-06T10:00:00Z') + i, timeMs: 1, method: 'GET', path: `/notes/${i}` },
  ...{ host: 'localhost:5000', httpVersion: '1.1', requestHeaders: ['Host', 'localhost:5000'] },
  ...{ requestBody: undefined, requestBodyCut: false, status: 200, statusText: 'OK' },
  ...{ responseHeaders: { 'content-type': 'text/plain; charset=utf-8' }, responseBody: [Buffer.from(body)] },
  ...{ responseSize: Buffer.byteLength(body), connection: 1 },
  marks: { type: 'web', instance: 'web.1', hop: false, afterRestart: false, retried: false },
});

test('batches: the file is HAR after every one, entries in order, a body larger than a batch included', () => {
  const path = join(dir, 'session.har');
  const timers: Array<() => void> = [];
  const writer = new HarWriter({ path, version: '0', setTimer: (fn) => (timers.push(fn), { cancel: () => {} }) });
  const read = (): string[] =>
    (JSON.parse(readFileSync(path, 'utf8')) as Har).log.entries.map((e) => e.response.content.text ?? '');
  const bodies = Array.from({ length: 600 }, (_, i) =>
    i === 300 ? 'é'.repeat(700_000) : `nøte ${i} ${'x'.repeat(900)}`,
  );
  const flushedAt: number[] = [];
  for (const [i, body] of bodies.entries()) {
    const before = statSync(path).size;
    writer.add(exchange(i, body));
    if (statSync(path).size === before) continue;
    flushedAt.push(i);
    // the batch before this entry, or with it
    const got = read();
    expect(got).toEqual(bodies.slice(0, got.length));
    expect(got.length).toBeGreaterThanOrEqual(i);
  }
  // a batch goes out at 256 KB of entries (and at once after the large one), not per entry
  expect(flushedAt.length).toBeGreaterThan(2);
  expect(flushedAt.length).toBeLessThan(10);
  expect(flushedAt).toContain(300);
  expect(writer.entries).toBe(600);
  timers.at(-1)?.();
  expect(read()).toEqual(bodies);
  writer.close();
  expect(read()).toEqual(bodies);
});

test('a full disk ends the recording, not the run: the file keeps the entries before it, valid, said once', () => {
  const path = join(dir, 'full.har');
  // a disk with room for 600 KB of this file: a write past it takes what fits, the next one fails
  const limit = 600 * 1024;
  let cut = 0;
  const disk = {
    writeSync: (fd: number, bytes: Buffer, offset: number, length: number, position: number): number => {
      if (position >= limit)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      if (position + length > limit) cut++;
      return writeSync(fd, bytes, offset, Math.min(length, limit - position), position);
    },
    ftruncateSync,
  };
  const errors: string[] = [];
  const writer = new HarWriter({
    ...{ path, version: '0', fs: disk, onError: (message: string) => errors.push(message) },
    setTimer: () => ({ cancel: () => {} }),
  });
  const bodies = Array.from({ length: 1000 }, (_, i) => `note ${i} ${'x'.repeat(900)}`);
  for (const [i, body] of bodies.entries()) writer.add(exchange(i, body));
  writer.close();
  expect(errors).toEqual(['ENOSPC: no space left on device, write']);
  expect(writer.error).toBe(errors[0]);
  // the batch that filled the disk went in part way, and is cut back out: the file ends after the one before
  expect(cut).toBe(1);
  const kept = (JSON.parse(readFileSync(path, 'utf8')) as Har).log.entries.map((e) => e.response.content.text);
  expect(kept.length).toBeGreaterThan(100);
  expect(kept.length).toBeLessThan(1000);
  expect(kept).toEqual(bodies.slice(0, kept.length));
  expect(writer.entries).toBe(kept.length);
  expect(statSync(path).size).toBeLessThanOrEqual(limit);
});
