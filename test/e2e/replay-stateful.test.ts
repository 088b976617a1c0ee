import { describe, expect, test } from 'vitest';

import { check, exampleApp, examples, record } from './helpers.js';

// Every stateful example (examples/catalog.json), recorded through `start --record` while its smoke client
// ran (one instance, no restarts), then checked with `check --replay` alone: it must fail as `check --run`
// with the smoke client does (check-stateful.test.ts), with the cause-level finding. One seed per example,
// a different one each; `node scripts/replay-matrix.mjs` runs seeds 1-12.
describe('a recording of a stateful example fails check --replay with the cause-level finding', () => {
  const rows = examples.filter((e) => e.cause !== undefined).map((e, i) => ({ ...e, seed: i + 1 }));
  test.each(rows)('$example (seed $seed)', async ({ example, smoke, cause, seed }) => {
    const dir = exampleApp(example);
    const { har } = await record(dir, smoke);
    const run = await check(dir, ['--replay', har, '--seed', String(seed)]);
    expect(run.code, `${example}\n${run.stdout}`).toBe(1);
    const found = run.report.findings.find((f) => f.kind === cause);
    expect(found, `${example}\n${run.stdout}`).toBeDefined();
    expect(found?.heldBy).toMatch(/web\.\d|app root/);
  });
});
