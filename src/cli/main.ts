import { readFileSync } from 'node:fs';

import { COMMANDS, type CommandName } from '../config/options.js';
import { suggest } from '../config/suggest.js';
import { UserError } from '../errors.js';
import { parseArgv } from './argv.js';
import type { CliContext } from './context.js';
import { errorExitCode, EXIT } from './exit-codes.js';
import { completionScript } from './completion.js';
import { commandHelp, generalHelp } from './help.js';
import { formatError } from './print-error.js';
import { runCommand } from './run-command.js';
import { startCommand } from './start-command.js';
import { validateCommand } from './validate-command.js';

const version = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function knownCommand(name: string): CommandName {
  if (Object.hasOwn(COMMANDS, name)) return name as CommandName;
  const close = suggest(name, Object.keys(COMMANDS));
  throw new UserError('UNKNOWN_COMMAND', `unknown command "${name}"`, {
    hint: close ? `did you mean \`amnesia ${close}\`?` : `the commands are: ${Object.keys(COMMANDS).join(', ')}`,
  });
}

// Runs one command line and returns its exit code (chosen in exit-codes.ts).
export async function main(args: readonly string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = args;
  try {
    if (first === 'help' && rest[0] !== undefined) {
      ctx.stdout.write(commandHelp(knownCommand(rest[0])));
      return EXIT.ok;
    }
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      ctx.stdout.write(generalHelp(version()));
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === 'completion') {
      ctx.stdout.write(completionScript(rest[0]));
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      ctx.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    const command = knownCommand(first);
    const argv = parseArgv(command, rest);
    if (argv.help) {
      ctx.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (argv.rest.length > 0 && command !== 'run') {
      throw new UserError('UNEXPECTED_ARGUMENTS', `${command} runs no command of its own: ${argv.rest.join(' ')}`, {
        where: '--',
        hint: `options go before any --, e.g. amnesia ${command} ${argv.rest.join(' ')}`,
      });
    }
    switch (command) {
      case 'start':
        return await startCommand(argv, ctx, rest, version());
      case 'run':
        return await runCommand(argv, ctx);
      case 'validate':
        return validateCommand(argv, ctx);
      // loaded on demand: `start` does not pay for the reports' or the exporters' modules (yaml)
      case 'check':
        return await (await import('./check-command.js')).checkCommand(argv, rest, ctx, version());
      case 'export':
        return (await import('./export-command.js')).exportCommand(argv, ctx);
      case 'load':
        return await (await import('./load-command.js')).loadCommand(argv, ctx);
      case 'ps':
      case 'restart':
      case 'stop':
      case 'scale':
      case 'logs':
        return await (await import('./control-command.js')).controlCommand(command, argv, ctx);
    }
  } catch (error) {
    ctx.stderr.write(formatError(error, ctx.colorByDefault));
    return errorExitCode(error);
  }
}
