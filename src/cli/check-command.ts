import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { runCheck } from '../check/run-check.js';
import { loadAppConfig, planRun } from '../config/load.js';
import { UserError } from '../errors.js';
import { Redactor } from '../detect/redact.js';
import { LineRenderer } from '../render/headless/line-renderer.js';
import { junitReport } from '../report/junit.js';
import { textReport } from '../report/text.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';
import { checkExitCode } from './exit-codes.js';

// `amnesia check`: the CI verdict. Prints the run's lines, then the report; writes JSON and JUnit files.
export async function checkCommand(
  argv: ParsedArgv,
  args: readonly string[],
  ctx: CliContext,
  version: string,
): Promise<number> {
  const config = planRun(
    loadAppConfig({ command: 'check', flags: argv.flags, env: ctx.env, cwd: ctx.cwd }),
    argv.positionals,
  );
  const { options } = config;
  const redactor = new Redactor(config.envValues, config.inherited);
  const renderer = new LineRenderer({
    timestamp: options.timestamp ?? true,
    prefix: options.prefix ?? true,
    color: options.color ?? ctx.colorByDefault,
    write: (text, encoding) => ctx.stdout.write(text, encoding),
    logRequests: options.logRequests ?? false,
    redact: (text) => redactor.text(text),
  });
  const { report, verdict } = await runCheck({
    config,
    args: ['check', ...args],
    tool: `amnesia ${version}`,
    cwd: ctx.cwd,
    listen: renderer.handle,
  });
  renderer.tick(report.durationMs);
  ctx.stdout.write(textReport(report));
  const write = (file: string | undefined, text: string, what: string): void => {
    if (file === undefined) return;
    const path = resolve(ctx.cwd, file);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new UserError('REPORT_WRITE', `cannot write the ${what} to ${path}: ${(error as Error).message}`, {
        where: what === 'JSON report' ? '--report' : '--junit',
        hint: 'check that the folder exists and is writable',
      });
    }
  };
  write(options.report, `${JSON.stringify(report, null, 2)}\n`, 'JSON report');
  write(options.junit, junitReport(report), 'JUnit report');
  return checkExitCode(verdict);
}
