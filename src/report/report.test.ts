import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';

import type { Finding } from '../shared/finding.js';
import { githubAnnotations, githubSummary } from './github.js';
import { junitReport } from './junit.js';
import type { CheckReport } from './report.js';

const lost: Finding = {
  kind: 'session-lost',
  type: 'web',
  instances: ['web.1', 'web.2'],
  route: 'GET /profile',
  count: 3,
  evidence: ['GET /profile → 401 from web.2', 'earlier: POST /login → 200 from web.1, set-cookie sid=<redacted>'],
  hint: 'keep sessions in Redis: connect-redis, 50%, a:b',
  state: 'an express-session session',
  heldBy: 'web.1 (pid 41)',
};
const smokeFailed: Finding = {
  kind: 'smoke-failed',
  type: 'web',
  instances: [],
  route: '(smoke command)',
  count: 1,
  evidence: ['exit 1'],
  hint: 'fix the smoke command first',
};
const logFile: Finding = {
  ...smokeFailed,
  kind: 'log-file',
  route: 'log/app.log',
  advisory: true,
  hint: 'log to stdout',
};

const report = (findings: Finding[], seed = 7): CheckReport => ({
  ...{ version: 1, tool: 'amnesia 0.1.0', seed, replay: `amnesia check --run 'npm run smoke' --seed ${seed}` },
  ...{ formation: { web: 3 }, balance: 'random', passed: findings.every((f) => f.advisory), findings, restarts: 2 },
  requests: { total: 40, byStatus: { 200: 40 }, byInstance: {}, latencyMs: {} },
  smoke: undefined,
  durationMs: 12_345,
});

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml).testsuites;

describe('JUnit', () => {
  test('the suite name is the same whatever the seed; the seed is a property; cases take the run time', () => {
    const a = parse(junitReport(report([lost], 7)));
    const b = parse(junitReport(report([lost], 8)));
    expect(a.testsuite['@_name']).toBe('amnesia check');
    expect(b.testsuite['@_name']).toBe(a.testsuite['@_name']);
    expect(a.testsuite.properties.property).toContainEqual({ '@_name': 'seed', '@_value': '7' });
    expect(a.testsuite.testcase[0]['@_time']).toBe('12.345');
  });

  test('failure messages are whole: instances when there are some, nothing dangling when there are none', () => {
    const xml = junitReport(report([lost, smokeFailed]));
    expect(XMLValidator.validate(xml)).toBe(true);
    const [one, two] = parse(xml).testsuite.testcase;
    expect(one.failure['@_message']).toBe(
      'session-lost on GET /profile (web), seen 3 times on web.1 → web.2; an express-session session held by web.1 (pid 41)',
    );
    expect(one.failure['#text']).toContain('fix: keep sessions in Redis');
    expect(two.failure['@_message']).toBe('smoke-failed on (smoke command) (web), seen 1 time');
  });

  test('a note is a passing case with its text, not a failure', () => {
    const suite = parse(junitReport(report([logFile]))).testsuite;
    expect(suite['@_failures']).toBe('0');
    expect(suite.testcase[0].failure).toBeUndefined();
    expect(suite.testcase[0]['system-out']).toContain('log to stdout');
  });
});

describe('GitHub Actions', () => {
  test('one annotation per finding, error or warning, with %, line breaks, : and , escaped', () => {
    const lines = githubAnnotations(report([lost, logFile])).split('\n');
    expect(lines[0]).toBe(
      '::error title=amnesia%3A session-lost on GET /profile::state: an express-session session, held by web.1 (pid 41)%0AGET /profile → 401 from web.2%0Aearlier: POST /login → 200 from web.1, set-cookie sid=<redacted>%0Afix: keep sessions in Redis: connect-redis, 50%25, a:b',
    );
    expect(lines[1]).toMatch(/^::warning title=amnesia%3A log-file on log\/app.log::/);
    expect(lines).toHaveLength(3);
  });

  test('the step summary: verdict, a table row per finding, the details and the replay command', () => {
    const md = githubSummary(report([lost]));
    expect(md).toMatch(/^## amnesia check: failed, 1 finding$/m);
    expect(md).toContain(
      '| **session-lost** | `GET /profile` | web.1 → web.2 | 3 | keep sessions in Redis: connect-redis, 50%, a:b |',
    );
    expect(md).toContain("amnesia check --run 'npm run smoke' --seed 7");
    expect(githubSummary(report([]))).toMatch(/^## amnesia check: passed$/m);
  });
});
