import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { loadEnvFiles } from './load-env.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'amnesia-env-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadEnvFiles', () => {
  test('the default .env may be missing', () => {
    expect(loadEnvFiles(undefined, dir, {})).toEqual({ values: {}, files: [], errors: [] });
  });
  test('a named file that is missing is an error naming it', () => {
    const result = loadEnvFiles(['.env.test'], dir, {});
    expect(result.errors.map((e) => e.message)).toEqual([`env file not found: ${join(dir, '.env.test')}`]);
  });
  test('later files win, and may refer to earlier ones (Foreman: both keys of two files present)', () => {
    writeFileSync(join(dir, 'env1'), 'FOO=bar\nSHARED=one\n');
    writeFileSync(join(dir, 'env2'), 'BAZ=qux\nSHARED=two\nBOTH=$FOO-$BAZ\n');
    expect(loadEnvFiles(['env1', 'env2'], dir, {}).values).toEqual({
      FOO: 'bar',
      SHARED: 'two',
      BAZ: 'qux',
      BOTH: 'bar-qux',
    });
  });
  test('the default .env is read when present', () => {
    writeFileSync(join(dir, '.env'), 'PORT=9000\n');
    expect(loadEnvFiles([], dir, {}).values).toEqual({ PORT: '9000' });
  });
});
