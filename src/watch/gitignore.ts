// .gitignore lines as picomatch globs (the common subset: comments, negations left out, anchored and
// unanchored patterns, directory patterns).
export function gitignoreGlobs(text: string): string[] {
  const globs: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const dir = line.endsWith('/');
    const body = line.replace(/^\//, '').replace(/\/$/, '');
    const anchored = line.startsWith('/') || body.includes('/');
    const base = anchored ? body : `**/${body}`;
    globs.push(base, `${base}/**`);
    if (!dir && !anchored) globs.push(body);
  }
  return globs;
}
