import type { Finding } from '../shared/finding.js';
import type { CheckReport } from './report.js';
import { findingLines } from './text.js';

const escape = (text: string): string =>
  text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
    // eslint-disable-next-line no-control-regex -- these are the characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** the failure's one-line message: what, where, how often, on which instances */
function message(f: Finding): string {
  const on = f.instances.length > 0 ? ` on ${f.instances.join(f.instances.length === 2 ? ' → ' : ', ')}` : '';
  const held = f.state ? `; ${f.state}${f.heldBy ? ` held by ${f.heldBy}` : ''}` : '';
  return `${f.kind} on ${f.route} (${f.type}), seen ${f.count} time${f.count === 1 ? '' : 's'}${on}${held}`;
}

// JUnit XML: one test case per finding kind and route (failed), or one passing case when there is none. The
// suite's name is the same in every run (CI tools track a test by suite and case name); the seed is a
// property. Each case ran as long as the check's run that found it.
export function junitReport(report: CheckReport): string {
  const time = seconds(report.durationMs);
  const cases = report.findings.map((f) => {
    const body = findingLines(f).join('\n');
    const name = escape(`${f.route} (${f.type})`);
    // a note (advisory) does not fail the check: a passing case that carries its text
    const result = f.advisory
      ? `<system-out>${escape(body)}</system-out>`
      : `<failure type="${escape(f.kind)}" message="${escape(message(f))}">${escape(body)}</failure>`;
    return `    <testcase classname="amnesia.${escape(f.kind)}" name="${name}" time="${time}">\n      ${result}\n    </testcase>`;
  });
  if (cases.length === 0) cases.push(`    <testcase classname="amnesia" name="no hidden local state" time="${time}"/>`);
  const failures = report.findings.filter((f) => !f.advisory).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="amnesia check" tests="${cases.length}" failures="${failures}" time="${time}">`,
    `  <testsuite name="amnesia check" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">`,
    `    <properties>\n      <property name="seed" value="${report.seed}"/>\n      <property name="replay" value="${escape(report.replay)}"/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
