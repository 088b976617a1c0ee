import { isAscii } from 'node:buffer';

const ASCII = /^[^\u0080-\uffff]*$/;

export interface PrefixedText {
  text: string;
  /** every character is ASCII: latin1 encodes it by plain copies, the same bytes as UTF-8 */
  ascii: boolean;
}

// Puts `prefix` before every line of `data` (whole lines, each ending in \n). Decoding once and replacing
// newlines in the string is several times faster than copying line by line. Most output is ASCII: then
// latin1 decodes (and the writer encodes) by plain copies (in bench:logs the relay's busy time fell by about
// a quarter against the UTF-8 round trip). Otherwise the UTF-8 decoder turns invalid sequences into U+FFFD,
// so a terminal never swallows a newline into a broken sequence.
export function prefixLines(prefix: string, data: Buffer): PrefixedText {
  const ascii = isAscii(data) && ASCII.test(prefix);
  const text = data.toString(ascii ? 'latin1' : 'utf8');
  if (prefix === '') return { text, ascii };
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return { text: `${prefix}${body.replaceAll('\n', `\n${prefix}`)}\n`, ascii };
}
