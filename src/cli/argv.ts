import { parseArgs } from 'node:util';

import { suggest } from '../config/suggest.js';
import {
  camelName,
  flagName,
  OPTIONS,
  optionNames,
  shortOf,
  type CommandName,
  type OptionName,
} from '../config/options.js';
import { UserError } from '../errors.js';

export interface ParsedArgv {
  /** raw values keyed by option; booleans are true/false, the rest strings */
  flags: Partial<Record<OptionName, string | boolean>>;
  positionals: string[];
  /** what came after `--` (or, for `run`, from the first positional on) */
  rest: string[];
  help: boolean;
}

// Every option of every command, for node:util.parseArgs: an option of another command is then recognised
// (and refused with its own message) rather than read as an unknown one. Booleans take --no-NAME. A short
// letter belongs to the command's own option (`-f` is --procfile for start, --follow for logs; `-d` is --root
// for start, --duration for load).
const parseOptions = (command: CommandName) =>
  Object.fromEntries([
    ...optionNames.map((name) => {
      const spec = OPTIONS[name];
      const type = spec.kind === 'boolean' ? ('boolean' as const) : ('string' as const);
      const short = shortOf(name, command);
      return [flagName(name), short ? { type, short } : { type }] as const;
    }),
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]);

const looksLikeOption = (word: string): boolean => word.startsWith('-') && word !== '-' && !/^-\d/.test(word);

// Reads argv for one command against the option table, with node:util.parseArgs: POSIX short options
// (-mweb=2 is -m with "web=2", -cf FILE is -c -f FILE), --name=value, --no-NAME for booleans, -- ends the
// options. `run` stops at its first positional: what follows is the command's. Unknown, misplaced or
// valueless options are user errors.
export function parseArgv(command: CommandName, args: readonly string[]): ParsedArgv {
  const parsed: ParsedArgv = { flags: {}, positionals: [], rest: [], help: false };
  const { tokens } = parseArgs({
    args: [...args],
    options: parseOptions(command),
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      parsed.rest = args.slice(token.index + 1);
      break;
    }
    if (token.kind === 'positional') {
      if (command === 'run') {
        parsed.rest = args.slice(token.index);
        break;
      }
      parsed.positionals.push(token.value);
      continue;
    }
    if (token.name === 'help') {
      parsed.help = true;
      continue;
    }
    const negated = token.rawName.startsWith('--no-');
    const name = camelName(token.name);
    if (!isOption(name)) {
      const plain = token.name.replace(/^no-/, '');
      if (negated && isOption(camelName(plain)) && OPTIONS[camelName(plain) as OptionName].kind === 'boolean')
        throw new UserError('BAD_OPTION', 'takes no value', {
          where: token.rawName,
          hint: `write ${token.rawName} alone, or --${plain}=false`,
        });
      throw unknownOption(command, token.rawName, undefined);
    }
    if (!OPTIONS[name].commands.includes(command)) throw unknownOption(command, token.rawName, name);
    const spec = OPTIONS[name];
    if (spec.kind === 'boolean') {
      parsed.flags[name] = token.value ?? !negated;
      continue;
    }
    const value = token.value;
    // a value that looks like the next option is a value forgotten (a negative number is a value, for the
    // option to refuse with its own message)
    if (value === undefined || (!token.inlineValue && looksLikeOption(value))) {
      throw new UserError('MISSING_VALUE', 'needs a value', {
        where: `--${flagName(name)}`,
        hint: `write --${flagName(name)} ${spec.argument ?? 'VALUE'}`,
      });
    }
    parsed.flags[name] = value;
  }
  return parsed;
}

const isOption = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

function unknownOption(command: CommandName, arg: string, name: OptionName | undefined): UserError {
  if (name !== undefined) {
    return new UserError('BAD_OPTION', `not an option of \`amnesia ${command}\``, {
      where: arg,
      hint: `run \`amnesia ${command} --help\` for its options`,
    });
  }
  const candidates = optionNames.filter((n) => OPTIONS[n].commands.includes(command)).map((n) => `--${flagName(n)}`);
  const close = arg.startsWith('--') ? suggest(arg, candidates) : undefined;
  return new UserError('UNKNOWN_OPTION', 'unknown option', {
    where: arg,
    hint: close
      ? `did you mean ${close}? (amnesia ${command} --help lists every option)`
      : `run \`amnesia ${command} --help\` for the options`,
  });
}
