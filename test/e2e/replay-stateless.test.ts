import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import { check, exampleApp, examples, record } from './helpers.js';

// Every stateless example (examples/catalog.json), recorded through `start --record` while its smoke client
// ran, then checked with `check --replay` alone: it must pass with no finding, as with `check --run`
// (check-stateless.test.ts). One seed per example, a different one each; `node scripts/replay-matrix.mjs`
// runs seeds 1-12.

/** the status codes the shuffled run answered */
const statuses = (reportPath: string): string[] =>
  Object.keys(JSON.parse(readFileSync(reportPath, 'utf8')).requests.byStatus);

describe('a recording of a stateless example passes check --replay with no finding', () => {
  const rows = examples.filter((e) => e.cause === undefined).map((e, i) => ({ ...e, seed: i + 1 }));
  test.each(rows)('$example (seed $seed)', async ({ example, smoke, seed }) => {
    const dir = exampleApp(example);
    const { har } = await record(dir, smoke);
    const run = await check(dir, ['--replay', har, '--seed', String(seed)]);
    expect(run.report.findings, `${example}\n${run.stdout}`).toEqual([]);
    expect(run.code).toBe(0);
    // passed on real answers: a CSRF token or an id left unbound would be a 403 or a 404 in all three runs
    expect(statuses(run.reportPath).filter((status) => Number(status) >= 400)).toEqual([]);
  });
});
