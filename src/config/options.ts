// The one declarative option table: argv parsing, amnesia.json keys, AMNESIA_* variables and --help all come from it.

import type { CommandName, Options, OptionTable } from './option-types.js';
import { APP_OPTIONS } from './options-app.js';
import { LIFECYCLE_OPTIONS } from './options-lifecycle.js';
import { OUTPUT_OPTIONS } from './options-output.js';
import { ROUTER_OPTIONS } from './options-router.js';
import { COMMANDS_OPTIONS } from './options-commands.js';

export type { CommandName, OptionKind, OptionSpec, Options } from './option-types.js';

/** in --help order */
export const OPTIONS: OptionTable = {
  ...APP_OPTIONS,
  ...LIFECYCLE_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...ROUTER_OPTIONS,
  ...COMMANDS_OPTIONS,
};

export type OptionName = keyof Options;

export const optionNames = Object.keys(OPTIONS) as OptionName[];

/** the short letter of an option in one command: its own for that command, else its `short` unless another
 *  option claims that letter there */
export function shortOf(name: OptionName, command: CommandName): string | undefined {
  const spec: { short?: string; shortFor?: Partial<Record<CommandName, string>>; commands: readonly CommandName[] } =
    OPTIONS[name];
  if (!spec.commands.includes(command)) return undefined;
  const own = spec.shortFor?.[command];
  if (own) return own;
  const letter = spec.short;
  if (!letter) return undefined;
  const claimed = optionNames.some((other) => other !== name && OPTIONS[other].shortFor?.[command] === letter);
  return claimed ? undefined : letter;
}

/** `readyTimeout` -> `ready-timeout` */
export const flagName = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `readyTimeout` -> `AMNESIA_READY_TIMEOUT` */
export const envName = (name: string): string => `AMNESIA_${flagName(name).replace(/-/g, '_').toUpperCase()}`;

export const camelName = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export const COMMANDS: Record<CommandName, { usage: string; summary: string }> = {
  start: {
    usage: 'amnesia start [TYPE...] [options]',
    summary: 'run the formation (terminal UI on a TTY, prefixed lines otherwise)',
  },
  check: {
    usage: 'amnesia check --run CMD | --duration DURATION [options]',
    summary:
      'CI smoke run: shuffle and restart the formation, report hidden local state; exit 0 (clean), 1 (findings) or 2 (error)',
  },
  run: {
    usage: 'amnesia run [-e FILES] [--] COMMAND [ARGS...]',
    summary: "run one command with the app's env; a Procfile type name runs that type's command",
  },
  export: {
    usage: 'amnesia export systemd|compose|kubernetes DIR [options]',
    summary:
      'write deployment files for the formation: systemd units, docker compose with replicas, or Kubernetes manifests',
  },
  validate: {
    usage: 'amnesia validate [options]',
    summary: 'check the Procfile and env files; print the formation that would run',
  },
  ps: {
    usage: 'amnesia ps [--json] [-d DIR]',
    summary:
      'list the instances of the `amnesia start` running in this app root: state, pid, port, uptime, CPU, memory',
  },
  restart: {
    usage: 'amnesia restart [NAME|TYPE...] [-d DIR]',
    summary: 'restart instances of the running start, replacement first (none named: every instance, one at a time)',
  },
  stop: {
    usage: 'amnesia stop NAME|TYPE... [-d DIR]',
    summary: 'stop instances of the running start and leave them stopped (`restart NAME` starts one again)',
  },
  scale: {
    usage: 'amnesia scale TYPE=N... [-d DIR]',
    summary: 'change how many instances of a type the running start runs',
  },
  load: {
    usage: 'amnesia load [URL|TYPE] [-c CONNECTIONS] [-d DURATION] [-R RATE] [--path P,...] [--json]',
    summary:
      "HTTP load on keep-alive connections against the running start's router (or any URL): req/s, p50/p90/p99/max latency, answers by status",
  },
  logs: {
    usage: 'amnesia logs [NAME|TYPE...] [-f] [-n N] [-d DIR]',
    summary: "print the running start's recent output (all of it, or these instances' or types'); -f follows it",
  },
};
