import { UserError } from '../errors.js';
import { coerce } from './coerce.js';
import {
  camelName,
  envName,
  flagName,
  OPTIONS,
  optionNames,
  type CommandName,
  type OptionName,
  type Options,
} from './options.js';
import { suggest } from './suggest.js';

export interface OptionSources {
  flags: Partial<Record<OptionName, string | boolean>>;
  env: Readonly<Record<string, string | undefined>>;
  file?: { path: string; values: Record<string, unknown> };
}

// defaults < amnesia.json < AMNESIA_* < flags; every value is checked against the table.
export function mergeOptions(command: CommandName, sources: OptionSources): Partial<Options> {
  const result: Partial<Record<OptionName, unknown>> = {};
  for (const name of optionNames) {
    const spec = OPTIONS[name];
    if (!spec.commands.includes(command)) continue;
    if (spec.default !== undefined) result[name] = spec.default;
  }
  if (sources.file) {
    for (const [key, value] of Object.entries(sources.file.values)) {
      const name = camelName(key);
      if (!Object.hasOwn(OPTIONS, name)) {
        const close = suggest(flagName(name), optionNames.map(flagName));
        throw new UserError('CONFIG_UNKNOWN_KEY', `unknown option "${key}"`, {
          where: sources.file.path,
          hint: close
            ? `did you mean "${close}"? keys are the long option names`
            : 'keys are the long option names, e.g. "formation"',
        });
      }
      if (OPTIONS[name as OptionName].commands.includes(command)) {
        result[name as OptionName] = coerce(name as OptionName, value, `${sources.file.path}: "${key}"`);
      }
    }
  }
  for (const name of optionNames) {
    if (!OPTIONS[name].commands.includes(command)) continue;
    const fromEnv = sources.env[envName(name)];
    if (fromEnv !== undefined && fromEnv !== '') result[name] = coerce(name, fromEnv, envName(name));
    const fromFlag = sources.flags[name];
    if (fromFlag !== undefined) result[name] = coerce(name, fromFlag, `--${flagName(name)}`);
  }
  return result as Partial<Options>;
}
