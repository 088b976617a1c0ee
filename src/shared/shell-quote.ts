/** characters a POSIX shell reads as part of a plain word */
const PLAIN = /^[\w@%+=:,./-]+$/;

// One word for a POSIX shell: single quotes, a single quote inside written as '\''.
export const shellQuote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;

// The same, but only when the word needs it (replay commands stay readable).
export const shellWord = (word: string): string => (PLAIN.test(word) ? word : shellQuote(word));
