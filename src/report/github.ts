// GitHub Actions: a workflow command per finding (an annotation on the run's summary page) and a Markdown
// summary for $GITHUB_STEP_SUMMARY. https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Finding } from '../shared/finding.js';
import type { CheckReport } from './report.js';
import { findingLines } from './text.js';

// The data of a workflow command: % and line breaks escaped; a property also escapes : and ,
const data = (text: string): string => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const property = (text: string): string => data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

function annotation(f: Finding): string {
  const level = f.advisory ? 'warning' : 'error';
  const [, ...body] = findingLines(f);
  const title = `amnesia: ${f.kind} on ${f.route}`;
  return `::${level} title=${property(title)}::${data(body.map((line) => line.trim()).join('\n'))}\n`;
}

export function githubAnnotations(report: CheckReport): string {
  return report.findings.map(annotation).join('');
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function githubSummary(report: CheckReport): string {
  const failing = report.findings.filter((f) => !f.advisory).length;
  const lines = [
    `## amnesia check: ${report.passed ? 'passed' : `failed, ${failing} finding${failing === 1 ? '' : 's'}`}`,
    '',
    `Formation ${Object.entries(report.formation)
      .map(([type, n]) => `${type}=${n}`)
      .join(
        ' ',
      )}, ${report.balance} balancing, ${report.restarts} restart${report.restarts === 1 ? '' : 's'}, ${report.requests.total} requests, seed ${report.seed}.`,
    '',
  ];
  if (report.findings.length > 0) {
    lines.push('| finding | where | instances | seen | fix |', '| --- | --- | --- | --- | --- |');
    for (const f of report.findings) {
      const kind = f.advisory ? `${f.kind} (note)` : `**${f.kind}**`;
      lines.push(
        `| ${kind} | \`${cell(f.route)}\` | ${cell(f.instances.join(' → '))} | ${f.count} | ${cell(f.hint)} |`,
      );
    }
    lines.push('');
    for (const f of report.findings) {
      lines.push(`<details><summary>${cell(f.kind)} on ${cell(f.route)}</summary>`, '', '```');
      lines.push(...findingLines(f), '```', '</details>', '');
    }
  }
  lines.push('Replay it:', '', '```sh', report.replay, '```', '');
  return lines.join('\n');
}
