import { existsSync } from 'node:fs';

import { loadAppConfig } from '../config/load.js';
import { UserError } from '../errors.js';
import { runForeground } from '../supervisor/spawn.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';

const FORWARDED = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

// `amnesia run`: one command with the app's env, in the foreground; exits with the command's code.
export async function runCommand(argv: ParsedArgv, ctx: CliContext): Promise<number> {
  const words = argv.rest.length > 0 ? argv.rest : argv.positionals;
  if (words.length === 0) {
    throw new UserError('MISSING_COMMAND', 'run needs a command', {
      where: 'amnesia run',
      hint: 'e.g. `amnesia run -- node migrate.js`, or a Procfile type: `amnesia run release`',
    });
  }
  const app = loadAppConfig({ command: 'run', flags: argv.flags, env: ctx.env, cwd: ctx.cwd, procfileOptional: true });
  const entry = words.length === 1 ? app.entries.find((e) => e.name === words[0]) : undefined;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, app.envValues);
  // as under start: a Procfile type runs as its first instance; any other command as a one-off (Heroku's run.N)
  env['PS'] = entry ? `${entry.name}.1` : 'run.1';
  const [file = '', ...args] = words;
  const shell = entry !== undefined || words.length === 1;
  if (!existsSync(app.root))
    throw new UserError('ROOT_MISSING', `app root not found: ${app.root}`, {
      where: '--root',
      hint: 'point -d at an existing folder',
    });
  const child = await runForeground(shell ? '/bin/sh' : file, shell ? ['-c', entry?.command ?? file] : args, {
    cwd: app.root,
    env,
  });
  const forward = (signal: NodeJS.Signals) => (): void => child.kill(signal);
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  const ignoreInt = (): void => undefined;
  ctx.signals.on('SIGINT', ignoreInt);
  for (const [signal, handler] of handlers) ctx.signals.on(signal, handler);
  try {
    const result = await child.exited;
    if (result.notFound) {
      throw new UserError('COMMAND_NOT_FOUND', `command not found: ${file}`, {
        where: 'amnesia run',
        hint: 'check the name and your PATH (or the env files that set it)',
      });
    }
    return result.code;
  } finally {
    ctx.signals.off('SIGINT', ignoreInt);
    for (const [signal, handler] of handlers) ctx.signals.off(signal, handler);
  }
}
