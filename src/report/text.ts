import type { CheckReport } from './report.js';

// The human report of `amnesia check`: what broke, on which route, between which instances, what to change.
export function textReport(report: CheckReport): string {
  const lines: string[] = [''];
  const verdict = report.passed ? 'PASSED: no hidden local state found' : `FAILED: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`;
  lines.push(`amnesia check ${verdict} (seed ${report.seed})`);
  for (const f of report.findings) {
    lines.push('');
    const where = f.instances.length > 0 ? `${f.type}: ${f.instances.join(f.instances.length === 2 ? ' → ' : ', ')}` : f.type;
    lines.push(`  ${f.kind}  ${f.route}  (${where}; seen ${f.count} time${f.count === 1 ? '' : 's'})`);
    for (const evidence of f.evidence) lines.push(`    ${evidence}`);
    lines.push(`    fix: ${f.hint}`);
  }
  lines.push('');
  const statuses = Object.entries(report.requests.byStatus).map(([status, n]) => `${n}×${status}`).join(', ');
  lines.push(`requests: ${report.requests.total}${statuses ? ` (${statuses})` : ''} across ${Object.keys(report.requests.byInstance).sort().join(', ') || 'no instance'}; restarts: ${report.restarts}`);
  if (report.smoke) {
    const shuffled = report.smoke.shuffled === undefined ? 'not run' : `exit ${report.smoke.shuffled}`;
    lines.push(`smoke command: ${report.smoke.command} (one instance: exit ${report.smoke.control}; shuffled: ${shuffled})`);
  }
  lines.push(`replay: ${report.replay}`);
  lines.push('');
  return lines.join('\n');
}
