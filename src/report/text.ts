import type { Finding } from '../shared/finding.js';
import type { CheckReport } from './report.js';

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
  lines.push(`replay: ${report.replay}`);
  lines.push('');
  return lines.join('\n');
}
