import { UserError } from '../errors.js';
import { parseDuration } from './duration.js';
import { OPTIONS, type OptionName, type Options } from './options.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

// Converts one raw value (argv string, env string or JSON value) into the option's type, or names what is wrong.
export function coerce<K extends OptionName>(name: K, raw: unknown, where: string): Options[K] {
  const spec = OPTIONS[name];
  const bad = (expected: string, hint: string): UserError =>
    new UserError('BAD_OPTION', `${JSON.stringify(raw)} is not ${expected}`, { where, hint });
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw as Options[K];
      const text = String(raw).toLowerCase();
      if (TRUE.has(text)) return true as Options[K];
      if (FALSE.has(text)) return false as Options[K];
      throw bad('a boolean', 'use true or false');
    }
    case 'string':
      if (typeof raw !== 'string' || raw === '')
        throw bad('a non-empty string', `give a value, e.g. ${where} ${spec.argument ?? 'VALUE'}`);
      return raw as Options[K];
    case 'choice': {
      const text = String(raw).trim();
      const choices = spec.choices ?? [];
      const match = choices.find((choice) => choice.toLowerCase() === text.toLowerCase().replace(/^sig/, ''));
      if (match === undefined) throw bad(`one of ${choices.join(', ')}`, `use one of: ${choices.join(', ')}`);
      return match as Options[K];
    }
    case 'count': {
      const count = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(count) || count < 0) throw bad('a whole number', 'use a whole number, e.g. 42');
      return count as Options[K];
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
      const list = items.map((item) => item.trim()).filter((item) => item !== '');
      if (list.length === 0) throw bad('a list', 'give comma-separated values, e.g. a,b');
      return list as Options[K];
    }
    case 'port': {
      const port = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw bad('a port number', 'use a whole number from 1 to 65535');
      return port as Options[K];
    }
    case 'duration': {
      const ms = typeof raw === 'number' ? raw * 1000 : parseDuration(String(raw));
      if (ms === undefined || !Number.isFinite(ms) || ms < 0)
        throw bad('a duration', 'write e.g. 500ms, 5s, 2m or a number of seconds');
      return ms as Options[K];
    }
  }
  throw new Error(`unhandled option kind for ${name}`);
}
