import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The libraries an app declares, read from its manifests, so a fix can name the change for the library in
// use (express-session's store, multer's storage, socket.io's adapter, Flask-Caching's backend...).
export interface Stack {
  /** lower-case package names from package.json, requirements.txt, pyproject.toml, Gemfile and go.mod */
  packages: ReadonlySet<string>;
  /** settings that decide a library's default (e.g. `config.cache_store = :memory_store`) */
  text: string;
  language: 'node' | 'python' | 'ruby' | 'go' | 'php' | 'java' | undefined;
}

const read = (root: string, file: string): string | undefined => {
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch {
    return undefined;
  }
};

export function readStack(root: string): Stack {
  const packages = new Set<string>();
  let language: Stack['language'];
  let text = '';
  const pkg = read(root, 'package.json');
  if (pkg !== undefined) {
    language = 'node';
    try {
      const json = JSON.parse(pkg) as Record<string, Record<string, string> | undefined>;
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'])
        for (const name of Object.keys(json[field] ?? {})) packages.add(name.toLowerCase());
    } catch {
      // an unreadable manifest names no library: the fixes stay generic
    }
  }
  for (const file of ['requirements.txt', 'pyproject.toml', 'Pipfile']) {
    const content = read(root, file);
    if (content === undefined) continue;
    language ??= 'python';
    for (const match of content.matchAll(/^\s*"?([A-Za-z0-9][A-Za-z0-9._-]*)/gm))
      packages.add((match[1] ?? '').toLowerCase().replace(/_/g, '-'));
  }
  const gemfile = read(root, 'Gemfile');
  if (gemfile !== undefined) {
    language ??= 'ruby';
    for (const match of gemfile.matchAll(/^\s*gem\s+["']([^"']+)["']/gm)) packages.add((match[1] ?? '').toLowerCase());
    text += read(root, 'config/environments/production.rb') ?? '';
  }
  const gomod = read(root, 'go.mod');
  if (gomod !== undefined) {
    language ??= 'go';
    for (const match of gomod.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+\/[^\s]+)\s+v/gm))
      packages.add((match[1] ?? '').toLowerCase());
  }
  if (read(root, 'composer.json') !== undefined) language ??= 'php';
  if (read(root, 'pom.xml') !== undefined || read(root, 'build.gradle') !== undefined) language ??= 'java';
  return { packages, text, language };
}

export const EMPTY_STACK: Stack = { packages: new Set(), text: '', language: undefined };

export const uses = (stack: Stack, ...names: string[]): boolean => names.some((name) => stack.packages.has(name));
