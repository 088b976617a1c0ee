import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';

import { amnesia, eventually, makeApp } from './helpers.js';

describe('output relay', () => {
  test('colours into a pipe: none by default or with NO_COLOR, FORCE_COLOR turns them on; amnesia lines are bold, not bright white', async () => {
    const app = makeApp({ Procfile: (a) => `tick: ${a.node('tick.mjs')}\n` });
    const ESC = String.fromCharCode(27);
    const outputs: string[] = [];
    const unset = { FORCE_COLOR: undefined, NO_COLOR: undefined };
    for (const env of [{ FORCE_COLOR: '1', NO_COLOR: '1' }, { NO_COLOR: '1' }, {}]) {
      const run = amnesia(['start', '--no-timestamp'], { cwd: app.dir, env: { ...unset, ...env } });
      await run.waitFor(/tick 2/);
      run.signal('SIGINT');
      await run.exited;
      outputs.push(run.stdout());
    }
    const [forced = '', noColor = '', plain = ''] = outputs;
    expect(forced).toContain(`${ESC}[36mtick.1  | ${ESC}[0mtick 2`);
    expect(forced).toContain(`${ESC}[1mamnesia | ${ESC}[0m`);
    expect(forced).not.toContain(`${ESC}[97m`);
    expect(noColor).not.toContain(ESC);
    expect(plain).toBe(plain.replaceAll(ESC, ''));
  });

  test('every line of every instance arrives whole, prefixed with its own name, none lost', async () => {
    const count = 3000;
    const app = makeApp({
      Procfile: (a) =>
        `alpha: ${a.node('printer.mjs', String(count))}\nbeta: ${a.node('printer.mjs', String(count))}\n`,
    });
    const run = amnesia(['start', '-m', 'alpha=2,beta=1', '--no-timestamp'], { cwd: app.dir });
    await run.waitFor(
      /alpha\.1 +\| alpha\.1:done[\s\S]*alpha\.2 +\| alpha\.2:done|alpha\.2 +\| alpha\.2:done[\s\S]*alpha\.1 +\| alpha\.1:done/,
    );
    await run.waitFor(/beta\.1 +\| beta\.1:done/);
    run.signal('SIGINT');
    await run.exited;
    const seen = new Map<string, Set<number>>();
    for (const line of run
      .stdout()
      .split('\n')
      .filter((l) => l !== '')) {
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

  test('a stdout that is not read pauses the instances once ~1 MB waits; nothing is lost when it reads again', async () => {
    const total = 200_000; // ~18 MB of output
    const side = mkdtempSync(join(tmpdir(), 'amnesia-flood-'));
    onTestFinished(() => rmSync(side, { recursive: true, force: true }));
    const progress = join(side, 'written');
    const app = makeApp({ Procfile: (a) => `flood: ${a.node('flood-sync.mjs', progress, String(total))}\n` });
    const run = amnesia(['start', '--no-timestamp'], { cwd: app.dir });
    run.child.stdout!.pause();
    const written = (): number => {
      try {
        return Number(readFileSync(progress, 'utf8'));
      } catch {
        return 0;
      }
    };
    // blocked: the count stops growing (checked over ten polls in a row)
    let last = -1;
    let still = 0;
    await eventually(
      () => {
        const now = written();
        still = now === last && now > 0 ? still + 1 : 0;
        last = now;
        return still >= 10;
      },
      20_000,
      'the flooding instance to block',
    );
    // the 1 MB queue, the pipes' buffers and the prefixes: a few MB at most, far from the 18 MB it has to write
    expect(last * 87).toBeLessThan(5 * 1024 * 1024);
    run.child.stdout!.resume();
    await run.waitFor(/flood\.1 +\| done/, 60_000);
    run.signal('SIGINT');
    await run.exited;
    const numbers = [...run.stdout().matchAll(/^flood\.1 +\| line (\d+) x{80}$/gm)].map((m) => Number(m[1]));
    expect(numbers.length).toBe(total);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
  });

  test('names are padded to the longest and lines carry HH:MM:SS', async () => {
    const app = makeApp({ Procfile: 'w: echo hi; sleep 30\nlongername: echo there; sleep 30\n' });
    const run = amnesia(['start'], { cwd: app.dir });
    await run.waitFor(/longername\.1 \| there/);
    await run.waitFor(/w\.1 +\| hi/);
    run.signal('SIGINT');
    await run.exited;
    expect(run.stdout()).toMatch(/^\d\d:\d\d:\d\d w\.1 {10}\| hi$/m);
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
