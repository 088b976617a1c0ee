import type { Finding } from '../shared/finding.js';
import type { CheckReport, RecordingSummary } from './report.js';

// One finding as the text report and the UI's finding view show it: the headline, then indented the state
// that was kept, the evidence and the fix.
export function findingLines(f: Finding): string[] {
  const where =
    f.instances.length > 0 ? `${f.type}: ${f.instances.join(f.instances.length === 2 ? ' → ' : ', ')}` : f.type;
  return [
    `${f.advisory ? 'note: ' : ''}${f.kind}  ${f.route}  (${where}; seen ${f.count} time${f.count === 1 ? '' : 's'})`,
    ...(f.state ? [`  state: ${f.state}${f.heldBy ? `, held by ${f.heldBy}` : ''}`] : []),
    ...f.evidence.map((evidence) => `  ${evidence}`),
    `  fix: ${f.hint}`,
  ];
}

// The human report of `amnesia check`: what broke, on which route, between which instances, what to change.
export function textReport(report: CheckReport): string {
  const lines: string[] = [''];
  const failing = report.findings.filter((f) => !f.advisory).length;
  const notes = report.findings.length - failing;
  const hollow = report.passed && (report.coverage?.warnings.length ?? 0) > 0;
  const verdict = report.passed
    ? `PASSED${hollow ? ', but the run proves little' : ''}: no hidden local state found${notes > 0 ? ` (${notes} note${notes === 1 ? '' : 's'})` : ''}`
    : `FAILED: ${failing} finding${failing === 1 ? '' : 's'}${notes > 0 ? ` and ${notes} note${notes === 1 ? '' : 's'}` : ''}`;
  lines.push(`amnesia check ${verdict} (seed ${report.seed})`);
  for (const warning of hollow ? (report.coverage?.warnings ?? []) : []) lines.push(`  warning: ${warning}`);
  for (const f of report.findings) {
    lines.push('');
    lines.push(...findingLines(f).map((line) => `  ${line}`));
  }
  lines.push('');
  const statuses = Object.entries(report.requests.byStatus)
    .map(([status, n]) => `${n}×${status}`)
    .join(', ');
  const coverage = report.coverage
    ? `; hops: ${report.coverage.hops}, after a restart: ${report.coverage.afterRestart}`
    : '';
  lines.push(
    `requests: ${report.requests.total}${statuses ? ` (${statuses})` : ''} across ${Object.keys(report.requests.byInstance).sort().join(', ') || 'no instance'}; restarts: ${report.restarts}${coverage}`,
  );
  if (report.smoke) {
    const shuffled = report.smoke.shuffled === undefined ? 'not run' : `exit ${report.smoke.shuffled}`;
    lines.push(
      `smoke command: ${report.smoke.command} (one instance: exit ${report.smoke.control}; shuffled: ${shuffled})`,
    );
  }
  if (report.recording) lines.push(recordingLine(report.recording));
  lines.push(`replay: ${report.replay}`);
  lines.push('');
  return lines.join('\n');
}

// What --replay sent and what it left out: a DevTools export holds every host the page touched.
function recordingLine(r: RecordingSummary): string {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const { otherHosts, globs, unanswered } = r.skipped;
  const skipped = [
    otherHosts > 0 ? `${otherHosts} to other hosts` : '',
    globs > 0 ? `${globs} by --replay-skip` : '',
    unanswered > 0 ? `${unanswered} never answered when recorded` : '',
  ].filter(Boolean);
  return `recording: ${r.file}, ${plural(r.requests, 'request')} from ${plural(r.clients, 'client')} replayed three times${skipped.length > 0 ? ` (left out: ${skipped.join(', ')})` : ''}; ${r.diverged} answered differently by the shuffled formation`;
}
