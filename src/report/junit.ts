import type { CheckReport } from './report.js';

const escape = (text: string): string =>
  text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
    // eslint-disable-next-line no-control-regex -- these are the characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

// JUnit XML: one test case per finding kind and route (failed), or one passing case when there is none.
export function junitReport(report: CheckReport): string {
  const cases = report.findings.map((f) => {
    const body = [...f.evidence, `fix: ${f.hint}`].join('\n');
    return `    <testcase classname="amnesia.${escape(f.kind)}" name="${escape(`${f.route} (${f.type})`)}" time="0">\n      <failure type="${escape(f.kind)}" message="${escape(`${f.kind} on ${f.route}, seen ${f.count} time(s) on ${f.instances.join(', ')}`)}">${escape(body)}</failure>\n    </testcase>`;
  });
  if (cases.length === 0)
    cases.push(
      `    <testcase classname="amnesia" name="no hidden local state" time="${(report.durationMs / 1000).toFixed(3)}"/>`,
    );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="amnesia check" tests="${cases.length}" failures="${report.findings.length}">`,
    `  <testsuite name="amnesia check (seed ${report.seed})" tests="${cases.length}" failures="${report.findings.length}" errors="0" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `    <properties>\n      <property name="seed" value="${report.seed}"/>\n      <property name="replay" value="${escape(report.replay)}"/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
