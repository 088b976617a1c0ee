import { UserError } from '../errors.js';

export interface ProcfileEntry {
  /** process type, e.g. `web` */
  name: string;
  /** the shell command, run through `/bin/sh -c` */
  command: string;
  /** 1-based line number in the file */
  line: number;
  /** 0-based position among the entries: the type owns base port + 100 * index */
  index: number;
}

export type ProcfileResult = { ok: true; entries: ProcfileEntry[] } | { ok: false; errors: UserError[] };

const NAME = /^[A-Za-z0-9_-]+$/;
const EXPECTED = 'expected `name: command`, e.g. `web: node server.js` (name: letters, digits, _ or -)';

/** a line quoted in a message: long ones are cut, so an error never floods the terminal */
const EXCERPT = 80;
const excerpt = (line: string): string =>
  line.length > EXCERPT ? `${line.slice(0, EXCERPT)}… (${line.length.toLocaleString('en')} characters)` : line;

// Parses Procfile text into entries, collecting every error with its line instead of stopping at the first.
export function parseProcfile(text: string, file = 'Procfile'): ProcfileResult {
  const entries: ProcfileEntry[] = [];
  const errors: UserError[] = [];
  const seen = new Map<string, number>();
  if (text.includes('\u0000')) {
    return {
      ok: false,
      errors: [
        new UserError('PROCFILE_BINARY', 'this is not a text file (it holds NUL bytes)', {
          where: file,
          hint: `point -f at the Procfile, a text file with lines such as ${'`web: node server.js`'}`,
        }),
      ],
    };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const where = `${file}:${line}`;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const colon = trimmed.indexOf(':');
    const name = colon === -1 ? '' : trimmed.slice(0, colon);
    const command = colon === -1 ? '' : trimmed.slice(colon + 1).trim();
    if (colon === -1 || !NAME.test(name)) {
      const what = colon === -1 ? 'no `name:` on this line' : `invalid process name ${JSON.stringify(excerpt(name))}`;
      errors.push(
        new UserError('PROCFILE_SYNTAX', `${what}: ${JSON.stringify(excerpt(trimmed))}`, { where, hint: EXPECTED }),
      );
      return;
    }
    if (command === '') {
      errors.push(new UserError('PROCFILE_SYNTAX', `process type "${name}" has no command`, { where, hint: EXPECTED }));
      return;
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      errors.push(
        new UserError('PROCFILE_DUPLICATE', `process type "${name}" is defined twice (first on line ${previous})`, {
          where,
          hint: 'give each process type a unique name, e.g. `web` and `web-admin`',
        }),
      );
      return;
    }
    seen.set(name, line);
    entries.push({ name, command, line, index: entries.length });
  });
  if (errors.length === 0 && entries.length === 0) {
    errors.push(
      new UserError('PROCFILE_EMPTY', 'no processes defined', {
        where: file,
        hint: `add a line such as ${'`web: node server.js`'}`,
      }),
    );
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}
