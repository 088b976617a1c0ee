import { isUtf8 } from 'node:buffer';

const NEWLINE = 0x0a;

// Puts `prefix` before every line of `data` (whole lines, each ending in \n) in one buffer.
// Invalid UTF-8 becomes U+FFFD, so a terminal never swallows a newline into a broken sequence.
export function prefixLines(prefix: Buffer, data: Buffer): Buffer {
  const text = isUtf8(data) ? data : Buffer.from(data.toString('utf8'));
  if (prefix.length === 0) return text;
  let lines = 0;
  for (let i = text.indexOf(NEWLINE); i !== -1; i = text.indexOf(NEWLINE, i + 1)) lines++;
  const out = Buffer.allocUnsafe(text.length + lines * prefix.length);
  let at = 0;
  let start = 0;
  for (let i = text.indexOf(NEWLINE); i !== -1; i = text.indexOf(NEWLINE, start)) {
    at += prefix.copy(out, at);
    at += text.copy(out, at, start, i + 1);
    start = i + 1;
  }
  return out.subarray(0, at);
}
