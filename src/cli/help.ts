import { COMMANDS, flagName, OPTIONS, optionNames, envName, shortOf, type CommandName } from '../config/options.js';

const commandNames = Object.keys(COMMANDS) as CommandName[];

// `amnesia --help`: the commands.
export function generalHelp(version: string): string {
  const width = Math.max(...commandNames.map((name) => name.length));
  return [
    `amnesia ${version}: run your Procfile the way production does, and see what breaks`,
    '',
    'Usage: amnesia <command> [options]',
    '',
    'Commands:',
    ...commandNames.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name].summary}`),
    '',
    `  ${'help CMD'.padEnd(width)}  the options of a command (as amnesia CMD --help)`,
    `  ${'completion bash|zsh|fish'}  a completion script: eval "$(amnesia completion bash)"`,
    '',
    'Run `amnesia <command> --help` for its options. Every option can also be set in amnesia.json',
    '(or an "amnesia" key in package.json) in the app root, or as AMNESIA_<OPTION>; flags win.',
    '',
  ].join('\n');
}

// `amnesia <command> --help`, generated from the option table.
export function commandHelp(command: CommandName): string {
  const rows = optionNames
    .filter((name) => OPTIONS[name].commands.includes(command))
    .map((name) => {
      const spec = OPTIONS[name];
      const short = shortOf(name, command);
      const flag = `${short ? `-${short}, ` : '    '}--${flagName(name)}${spec.argument ? ` ${spec.argument}` : ''}`;
      const shown =
        spec.default === undefined || spec.kind === 'boolean'
          ? ''
          : ` (default: ${formatDefault(spec.default, spec.kind)})`;
      return [flag, `${spec.description}${shown}  [${envName(name)}]`] as const;
    });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ${COMMANDS[command].usage}`,
    '',
    `${COMMANDS[command].summary}.`,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    `  ${'-h, --help'.padEnd(width)}  show this help`,
    '',
  ].join('\n');
}

function formatDefault(value: unknown, kind: string): string {
  if (kind === 'duration' && typeof value === 'number') return value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`;
  return Array.isArray(value) ? value.join(',') : String(value);
}
