import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, test } from 'vitest';

import { FakeClock } from '../../test/fakes/clock.js';
import { loadAppConfig, planRun, type RunConfig } from '../config/load.js';
import { EventBus } from '../events/bus.js';
import type { RunEvent } from '../events/types.js';
import type { Change } from './app-watcher.js';
import { DevLoop } from './dev-loop.js';
import type { PathRule } from './ignore-rules.js';
import type { Reconciliation } from './reconcile.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function app(procfile: string, gitignore = '') {
  const dir = mkdtempSync(join(tmpdir(), 'amnesia-devloop-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Procfile'), procfile);
  if (gitignore) writeFileSync(join(dir, '.gitignore'), gitignore);
  const load = (): RunConfig => planRun(loadAppConfig({ command: 'start', flags: {}, env: {}, cwd: dir }), []);
  return { dir, load };
}

// A DevLoop on a fake watcher (the test says which files changed) and a virtual clock.
async function devLoop(dir: string, load: () => RunConfig, ignore: string[] = []) {
  const clock = new FakeClock();
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.subscribe((e) => events.push(e));
  let current = load();
  const restarts: Array<[string[], string]> = [];
  const applied: Array<{ plan: Reconciliation; envChanged: boolean }> = [];
  let emit: (path: string, change: Change) => void = () => undefined;
  let skip: PathRule = () => false;
  const loop = new DevLoop(
    {
      config: () => current,
      types: () => current.entries.map((e) => e.name),
      restartTypes: async (types, reason) => void restarts.push([[...types], reason]),
      apply: async (next, plan, envChanged) => {
        applied.push({ plan, envChanged });
        current = next;
      },
    },
    load,
    bus,
    {
      clock,
      watch: async (_root, rule, onChange) => {
        skip = rule;
        emit = onChange;
        return { close: async () => undefined };
      },
    },
  );
  await loop.start(ignore);
  const change = (file: string): void => {
    if (!skip(file, false)) emit(join(dir, file), 'changed');
  };
  return { clock, events, restarts, applied, change, loop };
}

describe('DevLoop on a fake watcher and a virtual clock', () => {
  test('changes within the debounce become one rolling restart of every type', async () => {
    const { dir, load } = app('web: node web.js\nworker: node worker.js\n');
    const { clock, restarts, events, change, loop } = await devLoop(dir, load);
    change('src/a.js');
    await clock.advance(200);
    change('src/b.js');
    await clock.advance(299);
    expect(restarts).toEqual([]);
    await clock.advance(1);
    expect(restarts).toEqual([[['web', 'worker'], 'file changed']]);
    expect(events).toMatchObject([
      { kind: 'watch:changed', files: ['src/a.js', 'src/b.js'], types: ['web', 'worker'] },
    ]);
    await loop.close();
  });

  test('what .gitignore and --watch-ignore leave out never restarts anything', async () => {
    const { dir, load } = app('web: node web.js\n', 'build/\n*.log\n!keep.log\n');
    const { clock, restarts, change, loop } = await devLoop(dir, load, ['tmp/**']);
    change('build/out.js');
    change('debug.log');
    change('tmp/cache');
    await clock.advance(1000);
    expect(restarts).toEqual([]);
    change('keep.log');
    await clock.advance(300);
    expect(restarts).toHaveLength(1);
    await loop.close();
  });

  test('an edited Procfile is reloaded and reconciled: a new type is added, a changed command restarts its type', async () => {
    const { dir, load } = app('web: node web.js\n');
    const { clock, applied, events, change, loop } = await devLoop(dir, load);
    writeFileSync(join(dir, 'Procfile'), 'web: node web.js --v2\nclock: node clock.js\n');
    change('Procfile');
    await clock.advance(300);
    expect(applied).toMatchObject([
      { plan: { added: [{ type: 'clock' }], removed: [], changed: ['web'] }, envChanged: false },
    ]);
    expect(events).toMatchObject([{ kind: 'watch:reloaded', file: 'Procfile', added: ['clock'], changed: ['web'] }]);
    await loop.close();
  });

  test('an invalid Procfile keeps the running formation and says what is wrong, with its line', async () => {
    const { dir, load } = app('web: node web.js\n');
    const { clock, applied, restarts, events, change, loop } = await devLoop(dir, load);
    writeFileSync(join(dir, 'Procfile'), 'web: node web.js\nthis line has no colon\n');
    change('Procfile');
    await clock.advance(300);
    expect(applied).toEqual([]);
    expect(restarts).toEqual([]);
    expect(events).toMatchObject([{ kind: 'watch:invalid', file: 'Procfile' }]);
    expect((events[0] as { errors: string[] }).errors[0]).toMatch(/Procfile:2/);
    await loop.close();
  });

  test('a change to .env is an env change: every type restarts with it', async () => {
    const { dir, load } = app('web: node web.js\n');
    writeFileSync(join(dir, '.env'), 'A=1\n');
    const { clock, applied, change, loop } = await devLoop(dir, load);
    writeFileSync(join(dir, '.env'), 'A=2\n');
    change('.env');
    await clock.advance(300);
    expect(applied).toMatchObject([{ envChanged: true }]);
    await loop.close();
  });
});
