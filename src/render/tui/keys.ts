// Keys from what the terminal sent. ink splits a chunk of input at escape sequences, but hands a run of plain
// characters over as one string: `r r` typed fast, `Tab Tab` sent by tmux or a pasted `error` followed by
// Enter arrive as "rr", "\t\t" and "error\r", which match no key. Here such a run becomes one key per
// character, in order; control characters are keys or nothing, never text.
import type { Key } from 'ink';

export type KeyName =
  | 'char'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageup'
  | 'pagedown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'tab'
  | 'backtab'
  | 'backspace'
  | 'interrupt';

export interface Keypress {
  name: KeyName;
  /** the character typed, for `char` */
  text: string;
}

/** C0 controls, DEL and C1 controls */
const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f);

const key = (name: KeyName, text = ''): Keypress => ({ name, text });

/** one character of a plain run: printable text, or the key a control character stands for */
function fromCharacter(char: string): Keypress | undefined {
  switch (char) {
    case '\r':
    case '\n':
      return key('return');
    case '\t':
      return key('tab');
    case '\x7f':
    case '\b':
      return key('backspace');
    case '\x1b':
      return key('escape');
    case '\x03':
      return key('interrupt');
    default:
      // other C0 and C1 controls (Ctrl-letters we give no meaning, a stray NUL) are dropped
      return isControl(char.codePointAt(0) ?? 0) ? undefined : key('char', char);
  }
}

/** the keys in one input event of ink's `useInput`, in the order they were typed */
export function keysOf(input: string, ink: Key): Keypress[] {
  if (ink.upArrow) return [key('up')];
  if (ink.downArrow) return [key('down')];
  if (ink.leftArrow) return [key('left')];
  if (ink.rightArrow) return [key('right')];
  if (ink.pageUp) return [key('pageup')];
  if (ink.pageDown) return [key('pagedown')];
  if (ink.home) return [key('home')];
  if (ink.end) return [key('end')];
  if (ink.tab) return [key(ink.shift ? 'backtab' : 'tab')];
  if (ink.return) return [key('return')];
  if (ink.backspace || ink.delete) return [key('backspace')];
  if (ink.escape) return [key('escape')];
  if (ink.ctrl) return input === 'c' ? [key('interrupt')] : [];
  // Alt+key and escape sequences ink has no name for: nothing to type
  if (ink.meta) return [];
  const keys: Keypress[] = [];
  for (const char of input) {
    const k = fromCharacter(char);
    if (k) keys.push(k);
  }
  return keys;
}
