// The user errors of starting instances: never ready, a command that cannot run (not found, E2BIG, no temp
// dir), a retry that could not even spawn. Each says where, why and what to change.
import { UserError } from '../errors.js';
import type { ProcfileEntry } from '../procfile/parse.js';
import type { Instance } from './instance.js';
import { TMPDIR_FAILED, type ExitInfo } from './instance-types.js';

/** Linux's limit on one argument or one NAME=value (MAX_ARG_STRLEN, 32 pages) */
const ONE_STRING_MAX = 128 * 1024;

export function neverReady(instance: Instance, readyTimeoutMs: number, health: string | undefined): UserError {
  const target = health ? `did not answer 2xx/3xx on GET ${health}` : 'did not accept connections';
  return new UserError(
    'NEVER_READY',
    `${instance.spec.name} ${target} on port ${instance.spec.port} within ${readyTimeoutMs / 1000}s`,
    {
      where: instance.spec.name,
      hint: 'make the app listen on process.env.PORT (it must not pick its own port), or raise --ready-timeout',
      details: lastOutput(instance),
    },
  );
}

export function cannotRun(
  instance: Instance,
  exit: ExitInfo,
  entry: ProcfileEntry | undefined,
  procfileName: string,
): UserError {
  const where = entry ? `${procfileName}:${entry.line}` : instance.spec.name;
  const command = entry?.command ?? '';
  if (exit.error?.includes('E2BIG')) return tooLarge(instance, command, where);
  if (exit.error?.startsWith(TMPDIR_FAILED)) {
    return new UserError('SPAWN_FAILED', `${instance.spec.name} could not be started: ${exit.error}`, {
      hint: 'check that the temp dir (TMPDIR) exists and is writable',
    });
  }
  const what =
    exit.error ?? (exit.code === 127 ? 'command not found' : 'command cannot be executed (permission denied?)');
  return new UserError('COMMAND_FAILED', `${instance.spec.name}: ${what}: ${command}`, {
    where,
    hint:
      exit.code === 127
        ? 'install the program or fix its name in the Procfile (commands run in the app root through /bin/sh -c)'
        : 'check the command and the app root',
    details: lastOutput(instance),
  });
}

// A retry that failed before there was a process (its temp dir, a free port): nothing amnesia can retry.
export function couldNotStart(name: string, error: unknown): UserError {
  const message = error instanceof Error ? error.message : String(error);
  return new UserError('SPAWN_FAILED', `${name} could not be started: ${message}`, {
    hint: 'check that the temp dir (TMPDIR) is writable and that ports are free',
  });
}

// E2BIG names what is too large: the command, or the largest variable of the environment.
function tooLarge(instance: Instance, command: string, where: string): UserError {
  const [name, value] = Object.entries(instance.spec.env).reduce<[string, string]>(
    (big, pair) => (pair[1].length > big[1].length ? pair : big),
    ['', ''],
  );
  const culprit =
    command.length > ONE_STRING_MAX || command.length > value.length
      ? `its command is ${command.length.toLocaleString('en')} characters long`
      : `the variable ${name} is ${Buffer.byteLength(value).toLocaleString('en')} bytes`;
  return new UserError(
    'SPAWN_E2BIG',
    `${instance.spec.name} cannot be started: ${culprit}, over what the system allows (E2BIG)`,
    {
      where,
      hint: `one argument or variable may hold at most ${ONE_STRING_MAX / 1024} KiB, and all of them together about 2 MB: put large data in a file and pass its path`,
    },
  );
}

function lastOutput(instance: Instance): string[] {
  return instance.lastLines.length === 0
    ? ['(no output)']
    : ['last output:', ...instance.lastLines.map((line) => `  ${line}`)];
}
