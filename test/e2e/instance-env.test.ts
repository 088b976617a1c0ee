import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import { amnesia, makeApp } from './helpers.js';

type Env = Record<string, string>;
const envLines = (out: string): Env[] =>
  [...out.matchAll(/\| env (.*)$/gm)].map((m) =>
    Object.fromEntries((m[1] ?? '').split(' ').map((kv) => kv.split('=') as [string, string])),
  );

describe('per-instance environment', () => {
  test('PORT, PS, AMNESIA_INSTANCE and a private, empty TMPDIR per instance; env files loaded', async () => {
    const app = makeApp({
      Procfile: (a) => `web: ${a.node('http-env.mjs')}\nworker: ${a.node('env-worker.mjs')}\n`,
      '.env': 'FROM_ENV_FILE=yes-$PS_UNSET\n',
    });
    const run = amnesia(['start', '-m', 'web=2,worker=3', '-p', '17000'], { cwd: app.dir });
    await run.waitFor(/all instances started/);
    for (const name of ['worker.1', 'worker.2', 'worker.3', 'web.1', 'web.2'])
      await run.waitFor(new RegExp(`${name.replace('.', '\\.')} +\\| env `));
    const envs = envLines(run.stdout());
    const byName = new Map(envs.map((env) => [env['PS'] ?? '', env]));
    expect([...byName.keys()].sort()).toEqual(['web.1', 'web.2', 'worker.1', 'worker.2', 'worker.3']);
    for (const [name, env] of byName) expect(env['AMNESIA_INSTANCE']).toBe(name);
    // non-routed: Foreman's scheme, base + 100 * entry + (N - 1)
    expect(['worker.1', 'worker.2', 'worker.3'].map((n) => byName.get(n)?.['PORT'])).toEqual([
      '17100',
      '17101',
      '17102',
    ]);
    expect(byName.get('worker.1')?.['FROM_ENV_FILE']).toBe('yes-');
    // routed: free ports chosen by the tool, not the type's own port (the router's)
    const webPorts = ['web.1', 'web.2'].map((n) => Number(byName.get(n)?.['PORT']));
    expect(new Set(webPorts).size).toBe(2);
    expect(webPorts).not.toContain(17000);
    // every TMPDIR is its own, exists, and was empty at start
    const tmpdirs = envs.map((env) => env['TMPDIR'] ?? '');
    expect(new Set(tmpdirs).size).toBe(5);
    for (const dir of tmpdirs) expect(existsSync(dir)).toBe(true);
    expect(envs.filter((env) => env['PS']?.startsWith('web')).map((env) => env['EMPTY_AT_START'])).toEqual([
      'true',
      'true',
    ]);
    // a file written to one instance's TMPDIR is not visible to another
    const answers = await Promise.all(
      webPorts.map(
        async (port) => (await fetch(`http://127.0.0.1:${port}/`)).json() as Promise<{ PS: string; files: string[] }>,
      ),
    );
    for (const answer of answers) expect(answer.files).toEqual([`${answer.PS}.txt`]);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    for (const dir of tmpdirs) expect(existsSync(dir)).toBe(false);
  });
});
