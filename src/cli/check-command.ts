import { accessSync, appendFileSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { runCheck } from '../check/run-check.js';
import { loadAppConfig, planRun } from '../config/load.js';
import { UserError } from '../errors.js';
import { Redactor } from '../detect/redact.js';
import type { RunEvent } from '../events/types.js';
import { LineRenderer } from '../render/headless/line-renderer.js';
import { githubAnnotations, githubSummary } from '../report/github.js';
import { junitReport } from '../report/junit.js';
import { textReport } from '../report/text.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';
import { checkExitCode } from './exit-codes.js';

type ReportFlag = '--report' | '--junit';

// A report path is checked before anything runs (its folder created): a typo must not cost a whole check.
// `-` is stdout.
function reportTarget(ctx: CliContext, file: string | undefined, flag: ReportFlag): string | undefined {
  if (file === undefined || file === '-') return file;
  const path = resolve(ctx.cwd, file);
  const fail = (why: string): UserError =>
    new UserError('REPORT_PATH', `cannot write ${flag} ${file}: ${why}`, {
      where: flag,
      hint: 'give a file path in a folder amnesia can write to, or - for stdout',
    });
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw fail(`${path} is a folder`);
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw error instanceof UserError ? error : fail((error as Error).message);
  }
  return path;
}

// `amnesia check`: the CI verdict. Prints the run's lines, then the report; writes JSON and JUnit reports
// (to stdout with `-`: the human lines then go to stderr). In GitHub Actions, annotations and a summary.
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
  if (options.report === '-' && options.junit === '-')
    throw new UserError('REPORT_PATH', 'only one report can go to stdout', {
      where: '--report - --junit -',
      hint: 'write one of them to a file',
    });
  const targets = {
    report: reportTarget(ctx, options.report, '--report'),
    junit: reportTarget(ctx, options.junit, '--junit'),
  };
  const human = targets.report === '-' || targets.junit === '-' ? ctx.stderr : ctx.stdout;
  const redactor = new Redactor(config.envValues, config.inherited);
  const renderer = new LineRenderer({
    timestamp: options.timestamp ?? true,
    prefix: options.prefix ?? true,
    color: options.color ?? ctx.colorByDefault,
    write: (text, encoding) => human.write(text, encoding),
    logRequests: options.logRequests ?? false,
    redact: (text) => redactor.text(text),
  });
  // each run's requests are summed up when it stops: the shuffled run's line is the report's count
  let runStarted = Date.now();
  const listen = (event: RunEvent): void => {
    if (event.kind === 'run:starting') runStarted = Date.now();
    renderer.handle(event);
    if (event.kind === 'run:stopped') renderer.tick(Date.now() - runStarted);
  };
  const { report, verdict } = await runCheck({
    config,
    args: ['check', ...args],
    tool: `amnesia ${version}`,
    cwd: ctx.cwd,
    listen,
  });
  human.write(textReport(report));
  const write = (target: string | undefined, text: string, flag: ReportFlag): void => {
    if (target === undefined) return;
    if (target === '-') return void ctx.stdout.write(text);
    try {
      writeFileSync(target, text);
    } catch (error) {
      throw new UserError('REPORT_WRITE', `cannot write ${flag} to ${target}: ${(error as Error).message}`, {
        where: flag,
        hint: 'check that the folder exists and is writable',
      });
    }
  };
  write(targets.report, `${JSON.stringify(report, null, 2)}\n`, '--report');
  write(targets.junit, junitReport(report), '--junit');
  if (ctx.env['GITHUB_ACTIONS'] === 'true') {
    human.write(githubAnnotations(report));
    const summary = ctx.env['GITHUB_STEP_SUMMARY'];
    if (summary) appendFileSync(summary, githubSummary(report));
  }
  return checkExitCode(verdict);
}
