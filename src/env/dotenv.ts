import { parse } from 'dotenv';

import { UserError } from '../errors.js';

export interface EnvFileResult {
  values: Record<string, string>;
  errors: UserError[];
}

const ASSIGNMENT = /^(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/;

interface LineScan {
  /** keys whose (last) value is single-quoted: no `$VAR` expansion, as in a POSIX shell */
  literal: Set<string>;
  /** keys whose (last) value is double-quoted: `\"` stands for a quote */
  doubled: Set<string>;
  errors: UserError[];
}

// Finds lines dotenv would silently drop, and which values are single-quoted; follows multi-line quoted values.
function scanLines(text: string, file: string): LineScan {
  const literal = new Set<string>();
  const doubled = new Set<string>();
  const errors: UserError[] = [];
  let openQuote: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (openQuote !== undefined) {
      if (closes(raw, openQuote)) openQuote = undefined;
      return;
    }
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      errors.push(
        new UserError('ENV_SYNTAX', `not a variable assignment: ${JSON.stringify(line)}`, {
          where: `${file}:${i + 1}`,
          hint: 'write KEY=value (quotes, `export KEY=value` and # comments are allowed)',
        }),
      );
      return;
    }
    const key = match[1] ?? '';
    const value = match[2] ?? '';
    const quote = value[0];
    literal.delete(key);
    doubled.delete(key);
    if (quote === "'") literal.add(key);
    if (quote === '"') doubled.add(key);
    if ((quote === '"' || quote === "'" || quote === '`') && !closes(value.slice(1), quote)) openQuote = quote;
  });
  return { literal, doubled, errors };
}

function closes(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return true;
  }
  return false;
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

// Parses one env file's text (dotenv syntax) and expands its values against what came before, then `inherited`.
export function parseEnvFile(
  text: string,
  file: string,
  earlier: Readonly<Record<string, string>>,
  inherited: Readonly<Record<string, string | undefined>>,
): EnvFileResult {
  const { literal, doubled, errors } = scanLines(text, file);
  const parsed = parse(text);
  const values: Record<string, string> = {};
  const lookup = (name: string): string | undefined => values[name] ?? earlier[name] ?? inherited[name];
  for (const [key, value] of Object.entries(parsed)) {
    const unescaped = doubled.has(key) ? value.replaceAll('\\"', '"') : value;
    values[key] = literal.has(key) ? unescaped : expandValue(unescaped, lookup);
  }
  return { values, errors };
}
