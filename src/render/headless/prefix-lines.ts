// Puts `prefix` before every line of `data` (whole lines, each ending in \n). Decoding once and replacing
// newlines in the string is several times faster than copying line by line; the decoder also turns
// invalid UTF-8 into U+FFFD, so a terminal never swallows a newline into a broken sequence.
export function prefixLines(prefix: string, data: Buffer): string {
  const text = data.toString('utf8');
  if (prefix === '') return text;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${prefix}${body.replaceAll('\n', `\n${prefix}`)}\n`;
}
