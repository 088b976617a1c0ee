import { suggest } from '../config/suggest.js';
import { camelName, flagName, OPTIONS, optionNames, type CommandName, type OptionName } from '../config/options.js';
import { UserError } from '../errors.js';

export interface ParsedArgv {
  /** raw values keyed by option; booleans are true/false, the rest strings */
  flags: Partial<Record<OptionName, string | boolean>>;
  positionals: string[];
  /** what came after `--` (or, for `run`, from the first positional on) */
  rest: string[];
  help: boolean;
}

// Reads argv for one command against the option table; unknown or misplaced options are user errors.
export function parseArgv(command: CommandName, args: readonly string[]): ParsedArgv {
  const parsed: ParsedArgv = { flags: {}, positionals: [], rest: [], help: false };
  const byShort = new Map(
    optionNames.flatMap((name) => (OPTIONS[name].short ? [[OPTIONS[name].short, name] as const] : [])),
  );
  const stopAtPositional = command === 'run';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      parsed.rest = args.slice(i + 1);
      break;
    }
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (stopAtPositional) {
        parsed.rest = args.slice(i);
        break;
      }
      parsed.positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    const key = long ? arg.slice(2, eq === -1 ? undefined : eq) : arg.slice(1, 2);
    let inline = eq === -1 ? (long || arg.length === 2 ? undefined : arg.slice(2)) : arg.slice(eq + 1);
    let name: OptionName | undefined;
    let negated = false;
    if (long) {
      const direct = camelName(key);
      if (isOption(direct)) name = direct;
      else if (
        key.startsWith('no-') &&
        isOption(camelName(key.slice(3))) &&
        OPTIONS[camelName(key.slice(3)) as OptionName].kind === 'boolean'
      ) {
        name = camelName(key.slice(3)) as OptionName;
        negated = true;
      }
    } else {
      name = byShort.get(key);
      if (inline?.startsWith('=')) inline = inline.slice(1);
    }
    if (name === undefined || !OPTIONS[name].commands.includes(command)) {
      throw unknownOption(command, arg.slice(0, eq === -1 ? undefined : eq), name);
    }
    const spec = OPTIONS[name];
    if (spec.kind === 'boolean') {
      if (inline !== undefined && long) parsed.flags[name] = negated ? `!${inline}` : inline;
      else parsed.flags[name] = !negated;
      continue;
    }
    if (inline === undefined) {
      const next = args[i + 1];
      // a negative number is a value (for the option to refuse with its own message), not a flag
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UserError('MISSING_VALUE', `--${flagName(name)} needs a value`, {
          where: `--${flagName(name)}`,
          hint: `write --${flagName(name)} ${spec.argument ?? 'VALUE'}`,
        });
      }
      inline = next;
      i++;
    }
    parsed.flags[name] = inline;
  }
  return parsed;
}

const isOption = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

function unknownOption(command: CommandName, arg: string, name: OptionName | undefined): UserError {
  if (name !== undefined) {
    return new UserError('BAD_OPTION', `${arg} is not an option of \`amnesia ${command}\``, {
      where: arg,
      hint: `run \`amnesia ${command} --help\` for its options`,
    });
  }
  const candidates = optionNames.filter((n) => OPTIONS[n].commands.includes(command)).map((n) => `--${flagName(n)}`);
  const close = suggest(arg, candidates);
  return new UserError('UNKNOWN_OPTION', `unknown option ${arg}`, {
    where: arg,
    hint: close
      ? `did you mean ${close}? (amnesia ${command} --help lists every option)`
      : `run \`amnesia ${command} --help\` for the options`,
  });
}
