import { describe, expect, test } from 'vitest';

import { amnesia, makeApp } from './helpers.js';

describe('output relay', () => {
  test('every line of every instance arrives whole, prefixed with its own name, none lost', async () => {
    const count = 3000;
    const app = makeApp({ Procfile: (a) => `alpha: ${a.node('printer.mjs', String(count))}\nbeta: ${a.node('printer.mjs', String(count))}\n` });
    const run = amnesia(['start', '-m', 'alpha=2,beta=1', '--no-timestamp'], { cwd: app.dir });
    await run.waitFor(/alpha\.1 +\| alpha\.1:done[\s\S]*alpha\.2 +\| alpha\.2:done|alpha\.2 +\| alpha\.2:done[\s\S]*alpha\.1 +\| alpha\.1:done/);
    await run.waitFor(/beta\.1 +\| beta\.1:done/);
    run.signal('SIGINT');
    await run.exited;
    const seen = new Map<string, Set<number>>();
    for (const line of run.stdout().split('\n').filter((l) => l !== '')) {
      const match = /^(\S+) +\| (.*)$/.exec(line);
      expect(match, `unprefixed line: ${JSON.stringify(line)}`).not.toBeNull();
      const [, name = '', message = ''] = match ?? [];
      const data = /^([a-z]+\.\d):(\d+):(x*)$/.exec(message);
      if (!data) continue;
      // the line came from the instance its prefix names, and arrived in one piece
      expect(data[1]).toBe(name);
      expect(data[3]?.length).toBe(Number(data[2]) % 97);
      const set = seen.get(name) ?? new Set<number>();
      set.add(Number(data[2]));
      seen.set(name, set);
    }
    expect([...seen.keys()].sort()).toEqual(['alpha.1', 'alpha.2', 'beta.1']);
    for (const set of seen.values()) expect(set.size).toBe(count);
  });

  test('names are padded to the longest and lines carry HH:MM:SS', async () => {
    const app = makeApp({ Procfile: 'w: echo hi; sleep 30\nlongername: echo there; sleep 30\n' });
    const run = amnesia(['start'], { cwd: app.dir });
    await run.waitFor(/longername\.1 \| there/);
    await run.waitFor(/w\.1 +\| hi/);
    run.signal('SIGINT');
    await run.exited;
    expect(run.stdout()).toMatch(/^\d\d:\d\d:\d\d w\.1          \| hi$/m);
    expect(run.stdout()).toMatch(/^\d\d:\d\d:\d\d longername\.1 \| there$/m);
  });

  test('a final line without a newline is still printed, on its own line', async () => {
    const app = makeApp({ Procfile: "once: printf 'no newline at the end'\nkeep: sleep 30\n" });
    const run = amnesia(['start', '--no-timestamp'], { cwd: app.dir });
    await run.waitFor(/once\.1 +\| done \(exited with code 0\)/);
    run.signal('SIGINT');
    await run.exited;
    expect(run.stdout()).toMatch(/^once\.1 +\| no newline at the end$/m);
  });
});
