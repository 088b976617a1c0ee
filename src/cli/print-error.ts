import { isUserError, UserErrors, type UserError } from '../errors.js';

// User errors: what, where and how to fix, no stack. Anything else is a bug and keeps its stack.
export function formatError(error: unknown, color: boolean): string {
  const red = (text: string): string => (color ? `\u001b[31m${text}\u001b[0m` : text);
  const dim = (text: string): string => (color ? `\u001b[2m${text}\u001b[0m` : text);
  if (isUserError(error)) {
    const list: readonly UserError[] = error instanceof UserErrors ? error.errors : [error];
    return list
      .map((e) =>
        [
          `${red('amnesia: error:')} ${e.where ? `${e.where}: ` : ''}${e.message}`,
          ...e.details.map((line) => `  ${line}`),
          ...(e.hint ? [dim(`  hint: ${e.hint}`)] : []),
        ].join('\n'),
      )
      .join('\n')
      .concat('\n');
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${red('amnesia: internal error (this is a bug, please report it):')}\n${text}\n`;
}
