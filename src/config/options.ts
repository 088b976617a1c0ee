// The one declarative option table: argv parsing, amnesia.json keys, AMNESIA_* variables and --help all come from it.

export type CommandName = 'start' | 'run' | 'validate';

export type OptionKind = 'boolean' | 'string' | 'list' | 'port' | 'duration';

interface OptionSpecBase {
  short?: string;
  description: string;
  /** placeholder shown in --help, e.g. FILE */
  argument?: string;
  commands: readonly CommandName[];
}

type KindOf<T> = T extends boolean ? 'boolean' : T extends readonly string[] ? 'list' : T extends string ? 'string' : 'port' | 'duration';

export type OptionSpec<T> = OptionSpecBase & { kind: KindOf<T>; default?: T };

/** every option a command can take; durations are milliseconds */
export interface Options {
  procfile: string;
  root: string;
  env: string[];
  formation: string;
  port: number;
  route: string[];
  timeout: number;
  readyTimeout: number;
  health: string;
  exitOnCrash: boolean;
  timestamp: boolean;
  prefix: boolean;
  color: boolean;
  headless: boolean;
}

const ALL: readonly CommandName[] = ['start', 'run', 'validate'];
const RUNNING: readonly CommandName[] = ['start'];

export const OPTIONS: { [K in keyof Options]-?: OptionSpec<Options[K]> } = {
  procfile: { short: 'f', kind: 'string', argument: 'FILE', default: 'Procfile', description: 'Procfile to run', commands: ALL },
  root: { short: 'd', kind: 'string', argument: 'DIR', description: "app root, where commands run (default: the Procfile's folder)", commands: ALL },
  env: { short: 'e', kind: 'list', argument: 'FILES', description: 'env files, comma-separated, later ones win (default: .env if it exists)', commands: ALL },
  formation: { short: 'm', kind: 'string', argument: 'SPEC', description: 'instances per type, e.g. web=3,worker=2,all=1 (default: 3 per routed type, 1 otherwise)', commands: ['start', 'validate'] },
  port: { short: 'p', kind: 'port', argument: 'N', description: 'base port; the type on Procfile entry i owns N+100*i (default: PORT, else 5000)', commands: ['start', 'validate'] },
  route: { kind: 'list', argument: 'TYPES', default: ['web'], description: 'process types that get a router and free instance ports', commands: ['start', 'validate'] },
  timeout: { short: 't', kind: 'duration', argument: 'DURATION', default: 5000, description: 'time between SIGTERM and SIGKILL when stopping an instance', commands: RUNNING },
  readyTimeout: { kind: 'duration', argument: 'DURATION', default: 30_000, description: 'how long a routed instance may take to accept connections', commands: RUNNING },
  health: { kind: 'string', argument: 'PATH', description: 'HTTP path that must answer 2xx/3xx before a routed instance is ready (default: a TCP connect)', commands: RUNNING },
  exitOnCrash: { kind: 'boolean', default: false, description: "Foreman's behaviour: any crash stops everything, with the child's exit code", commands: RUNNING },
  timestamp: { kind: 'boolean', default: true, description: 'prefix lines with HH:MM:SS (--no-timestamp to drop)', commands: RUNNING },
  prefix: { kind: 'boolean', default: true, description: 'prefix lines with the instance name (--no-prefix to drop)', commands: RUNNING },
  color: { short: 'c', kind: 'boolean', description: 'colour the prefixes (default: only on a TTY; --no-color to force off)', commands: RUNNING },
  headless: { kind: 'boolean', default: false, description: 'plain prefixed lines instead of the terminal UI', commands: RUNNING },
};

export type OptionName = keyof Options;

export const optionNames = Object.keys(OPTIONS) as OptionName[];

/** `readyTimeout` -> `ready-timeout` */
export const flagName = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `readyTimeout` -> `AMNESIA_READY_TIMEOUT` */
export const envName = (name: string): string => `AMNESIA_${flagName(name).replace(/-/g, '_').toUpperCase()}`;

export const camelName = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export const COMMANDS: Record<CommandName, { usage: string; summary: string }> = {
  start: { usage: 'amnesia start [TYPE...] [options]', summary: 'run the formation (terminal UI on a TTY, prefixed lines otherwise)' },
  run: { usage: 'amnesia run [-e FILES] [--] COMMAND [ARGS...]', summary: "run one command with the app's env; a Procfile type name runs that type's command" },
  validate: { usage: 'amnesia validate [options]', summary: 'check the Procfile and env files; print the formation that would run' },
};
