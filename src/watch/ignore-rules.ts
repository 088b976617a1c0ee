import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import ignore, { type Ignore } from 'ignore';

/** never watched, whatever the rules say: dependencies, the repository and amnesia's own run folder (its
 *  control socket: src/control/protocol.ts) */
const ALWAYS = ['node_modules/', '.git/', '.amnesia/'];

/** a test of a path relative to the app root (`/` separators); `dir` when it is known to be a folder (a
 * folder-only pattern such as `dist/` then matches the folder itself; what is inside it matches anyway) */
export type PathRule = (rel: string, dir?: boolean) => boolean;

// Rules in .gitignore syntax (git's own semantics through the `ignore` package: negations, anchoring,
// folder-only patterns), for the options that name files to leave out (--ignore-writes, --watch-ignore).
export function globRule(patterns: readonly string[]): PathRule {
  const rules = ignore().add([...ALWAYS, ...patterns]);
  return (rel, dir) => rel !== '' && rules.ignores(dir === true ? `${rel}/` : rel);
}

// What the app's .gitignore files say: the root's and every nested one, a deeper file's rules winning over
// a shallower one's (negations included), as git reads them. The files are read once, when the run starts.
export function gitignoreRule(root: string): PathRule {
  const files: Array<{ dir: string; rules: Ignore }> = [];
  const visit = (dir: string): void => {
    const file = join(root, dir, '.gitignore');
    if (existsSync(file)) files.push({ dir, rules: ignore().add(readFileSync(file, 'utf8')) });
    let names: string[];
    try {
      names = readdirSync(join(root, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch {
      return;
    }
    for (const name of names) {
      const sub = dir === '' ? name : `${dir}/${name}`;
      // an ignored folder's own .gitignore cannot bring anything back (git does not look inside it)
      if (name !== 'node_modules' && name !== '.git' && !decide(sub, true)) visit(sub);
    }
  };
  const decide = (rel: string, dir?: boolean): boolean => {
    let ignored = false;
    for (const file of files) {
      if (file.dir !== '' && !rel.startsWith(`${file.dir}/`)) continue;
      const inner = file.dir === '' ? rel : rel.slice(file.dir.length + 1);
      const verdict = file.rules.test(dir === true ? `${inner}/` : inner);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  };
  visit('');
  return (rel, dir) => rel !== '' && decide(rel, dir);
}
