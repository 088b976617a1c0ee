import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';

import { amnesiaDone, check, exampleApp, freeBasePort, makeApp, ROOT } from './helpers.js';

const SEEDS = [11, 22, 33];

const STATELESS: Array<[example: string, smoke: string]> = [
  ['sessions-cookie', 'sessions-smoke'],
  ['sessions-redis', 'sessions-smoke'],
  ['uploads-redis', 'uploads-smoke'],
  ['cache-redis', 'cache-smoke'],
  ['ws-rooms-redis', 'ws-rooms-smoke'],
  ['socketio-redis', 'socketio-smoke'],
  ['flask-notes-redis', 'notes-smoke'],
  ['forms-csrf', 'forms-smoke'],
  ['orders-redis', 'orders-smoke'],
];

describe('stateless examples: exit 0 with zero findings, whatever the seed', () => {
  test.each(STATELESS)('%s', async (example, smoke) => {
    const dir = exampleApp(example);
    for (const seed of SEEDS) {
      const run = await check(dir, ['--run', `node ../${smoke}.mjs`, '--seed', String(seed)]);
      expect(run.report.findings, `${example} seed ${seed}\n${run.stdout}`).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/amnesia check PASSED/);
    }
  });
});

test('a gitignored log file is a note with the factor XI fix, and does not fail the check', async () => {
  const run = await check(exampleApp('log-file'), ['--run', 'node ../steady-smoke.mjs', '--seed', '11']);
  expect(run.code, run.stdout).toBe(0);
  expect(run.report.passed).toBe(true);
  expect(run.report.findings.map((f) => [f.kind, f.route, f.advisory])).toEqual([
    ['log-file', 'log/development.log', true],
  ]);
  expect(run.report.findings[0]?.hint).toMatch(/stdout/);
  expect(run.stdout).toMatch(/note: log-file {2}log\/development\.log/);
});

test('a pass that saw no restart says so, in the verdict and the JSON report', async () => {
  const run = await check(exampleApp('sessions-cookie'), [
    '--run',
    'node ../sessions-smoke.mjs',
    '--seed',
    '11',
    '--no-restart',
  ]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(
    /PASSED, but the run proves little[\s\S]*warning: no instance was restarted.*--restart-after N/,
  );
  expect(run.report.coverage?.restarts).toBe(0);
  expect(run.report.coverage?.warnings.join('\n')).toMatch(/no instance was restarted/);
});

describe('stateless apps that are hard to judge produce no finding', () => {
  test('noisy pages (timestamps, random ids, CSRF tokens, ETags), with and without --mirror', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('noisy.mjs')}\n` });
    for (const extra of [[], ['--mirror']]) {
      const run = await check(app.dir, ['--run', 'node noisy-smoke.mjs', '--seed', '5', ...extra]);
      expect(run.report.findings, run.stdout).toEqual([]);
      expect(run.code).toBe(0);
    }
  });

  test('a slow-booting app under frequent restarts', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('slow-boot.mjs')}\n` });
    const run = await check(app.dir, ['--run', 'node steady-smoke.mjs', '--restart-every', '1s', '--seed', '5']);
    expect(run.report.findings, run.stdout).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.report.restarts).toBeGreaterThanOrEqual(1);
  });

  test('long streamed responses under frequent restarts', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('streaming.mjs')}\n` });
    const run = await check(app.dir, ['--run', 'node steady-smoke.mjs', '--restart-every', '1s', '--seed', '5']);
    expect(run.report.findings, run.stdout).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.report.restarts).toBeGreaterThanOrEqual(2);
  });
});

describe('reports', () => {
  test('the JSON report validates against schema/report.schema.json; the JUnit file parses, one case per finding', async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/report.schema.json'), 'utf8'));
    const validate = new Ajv.default({ allErrors: true }).compile(schema);
    for (const example of ['sessions-memory', 'sessions-cookie']) {
      const run = await check(exampleApp(example), ['--run', 'node ../sessions-smoke.mjs', '--seed', '11']);
      const report = JSON.parse(readFileSync(run.reportPath, 'utf8'));
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      const xml = readFileSync(run.junitPath, 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml);
      const suite = parsed.testsuites.testsuite;
      const cases = suite.testcase as Array<Record<string, unknown>>;
      expect(Number(suite['@_failures'])).toBe(report.findings.length);
      if (report.findings.length === 0) expect(cases).toHaveLength(1);
      else
        expect(cases.map((c) => c['@_classname'])).toEqual(
          report.findings.map((f: { kind: string }) => `amnesia.${f.kind}`),
        );
    }
  });

  test('--report - is the JSON alone on stdout (human lines on stderr); a JUnit path in a new folder; GitHub annotations and step summary; one request count', async () => {
    const dir = exampleApp('sessions-memory');
    const scratch = makeApp({});
    const summary = join(scratch.dir, 'summary.md');
    const junit = join(scratch.dir, 'new', 'folder', 'junit.xml');
    const run = await amnesiaDone(
      ['check', '-p', String(await freeBasePort()), '--run', 'node ../sessions-smoke.mjs', '--seed', '11'].concat([
        '--report',
        '-',
        '--junit',
        junit,
      ]),
      { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/amnesia check FAILED/);
    expect(run.stderr).toMatch(/^::error title=amnesia%3A session-lost on GET \/profile::.*fix: /m);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="amnesia check" /);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## amnesia check: failed/m);
    // the shuffled run's summary line and the report count the same requests
    const counted = [...run.stderr.matchAll(/amnesia \| web: (\d+) requests in/g)].map((m) => Number(m[1]));
    expect(counted).toHaveLength(2);
    expect(counted[1]).toBe(report.requests.total);
    expect(run.stderr).toMatch(new RegExp(`^requests: ${report.requests.total} `, 'm'));
  });

  test('a report path that cannot be written fails before anything runs: exit 2, nothing started', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('noisy.mjs')}\n` });
    for (const flag of ['--report', '--junit']) {
      const run = await amnesiaDone(['check', '--run', 'true', flag, 'Procfile/report.json'], { cwd: app.dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`cannot write ${flag} Procfile/report.json: [\\s\\S]*hint: `));
      expect(run.stdout).not.toMatch(/starting/);
    }
  });

  test('a smoke command that fails even against one instance: smoke-failed, exit 2', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('noisy.mjs')}\n` });
    const run = await check(app.dir, ['--run', 'exit 3', '--seed', '5']);
    expect(run.code).toBe(2);
    expect(run.report.findings.map((f) => f.kind)).toEqual(['smoke-failed']);
    expect(run.stdout).toMatch(/smoke-failed/);
  });

  test('check without --run, --replay or --duration: exit 2 with a hint', async () => {
    const app = makeApp({ Procfile: (a) => `web: ${a.node('noisy.mjs')}\n` });
    const run = await check(app.dir, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /check needs traffic: a smoke command, a recording or a duration[\s\S]*hint: add --run .*--replay FILE\.har/,
    );
  });
});
