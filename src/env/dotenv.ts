import { UserError } from '../errors.js';

export interface EnvFileResult {
  values: Record<string, string>;
  errors: UserError[];
}

type Quote = '"' | "'" | '`';

interface Assignment {
  key: string;
  value: string;
  quote: Quote | undefined;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=[ \t]*/;
const QUOTES = new Set<string>(['"', "'", '`']);

// Where the quote that opens `text` closes: the index of the closing quote, or -1. A backslash escapes the
// next character inside double quotes and backticks; single quotes take everything literally but `\'`.
function closingQuote(text: string, quote: Quote): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

// The env-file grammar, dotenv's, in one pass: `KEY=value`, `export KEY=value`, # comments (a # anywhere in
// an unquoted value starts one), values in single, double or backtick quotes, which may span lines; `\n`
// and `\r` in double quotes are a newline and a carriage return. A line that is none of these is an error
// with its line number, and gives no value.
function assignments(text: string, file: string): { found: Assignment[]; errors: UserError[] } {
  const lines = text.split(/\r?\n/);
  const found: Assignment[] = [];
  const errors: UserError[] = [];
  const error = (line: number, message: string, hint: string): number =>
    errors.push(new UserError('ENV_SYNTAX', message, { where: `${file}:${line + 1}`, hint }));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      error(
        i,
        `not a variable assignment: ${JSON.stringify(trimmed)}`,
        'write KEY=value (quotes, `export KEY=value` and # comments are allowed)',
      );
      continue;
    }
    const key = match[1] ?? '';
    let rest = line.slice(match[0].length);
    const quote = rest[0];
    if (quote === undefined || !QUOTES.has(quote)) {
      found.push({ key, value: (rest.split('#')[0] ?? '').trim(), quote: undefined });
      continue;
    }
    // a quoted value runs until its closing quote, on this line or a later one
    const start = i;
    let end = closingQuote(rest, quote as Quote);
    while (end === -1 && i + 1 < lines.length) {
      rest += `\n${lines[++i] ?? ''}`;
      end = closingQuote(rest, quote as Quote);
    }
    if (end === -1) {
      error(start, `${key}: the ${quote} that opens its value is never closed`, `close the value with ${quote}`);
      i = start;
      continue;
    }
    const inner = rest.slice(1, end);
    const value =
      quote === '"'
        ? inner.replace(/\\([nr"\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c))
        : quote === "'"
          ? inner.replaceAll("\\'", "'")
          : inner;
    found.push({ key, value, quote: quote as Quote });
  }
  return { found, errors };
}

// Expands `$VAR`, `${VAR}` and `${VAR:-default}`; `\$` is a literal dollar. Unknown names become ''.
export function expandValue(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      if (whole === '\\$') return '$';
      const found = lookup(braced ?? bare ?? '');
      if (fallback !== undefined && (found === undefined || found === '')) return expandValue(fallback, lookup);
      return found ?? '';
    },
  );
}

// Parses one env file's text and expands its values, in file order, against the keys set above them, then
// the earlier files, then `inherited`; single-quoted values stay literal, as in a POSIX shell.
export function parseEnvFile(
  text: string,
  file: string,
  earlier: Readonly<Record<string, string>>,
  inherited: Readonly<Record<string, string | undefined>>,
): EnvFileResult {
  const { found, errors } = assignments(text, file);
  const values: Record<string, string> = {};
  const lookup = (name: string): string | undefined => values[name] ?? earlier[name] ?? inherited[name];
  for (const { key, value, quote } of found) values[key] = quote === "'" ? value : expandValue(value, lookup);
  return { values, errors };
}
