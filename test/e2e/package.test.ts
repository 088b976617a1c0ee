import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, onTestFinished, test } from 'vitest';

import { eventually, freeBasePort, expectNoneLeft, ROOT } from './helpers.js';

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

// The package as a user gets it: `npm pack` (of the build npm test made), installed outside the repository,
// globally (into a private prefix) for the CLI and locally for the programmatic API with its types.
test('the packed tarball installs in an empty folder and runs: the CLI on an example, the API with its types', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'amnesia-pack-'));
  onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
  // the build is npm test's: packing must not rebuild dist under the other tests' feet
  npm(['pack', '--ignore-scripts', '--pack-destination', scratch], ROOT);
  const tarball = join(scratch, readdirSync(scratch).find((name) => name.endsWith('.tgz')) ?? '');
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  expect(files).toContain('package/bin/amnesia.js');
  expect(files).toContain('package/dist/bundle/watchdog.sh');
  expect(files).toContain('package/dist/types/index.d.ts');
  expect(files.filter((f) => /^package\/(src|test|examples|bench)\//.test(f))).toEqual([]);

  // the CLI, installed globally, on a copy of the hello example
  const prefix = join(scratch, 'global');
  npm(['install', '--global', '--prefix', prefix, tarball], scratch);
  const app = join(scratch, 'hello');
  cpSync(join(ROOT, 'examples/hello'), app, { recursive: true });
  const port = await freeBasePort();
  const child = spawn(join(prefix, 'bin/amnesia'), ['start', '-p', String(port), '--no-restart'], {
    cwd: app,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', done));
  onTestFinished(() => void child.kill('SIGKILL'));
  await eventually(() => /all instances started/.test(out), 20_000, `the example to start:\n${out}`);
  const response = await fetch(`http://127.0.0.1:${port}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('x-amnesia-instance')).toMatch(/^web\.\d$/);
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expectNoneLeft(app);

  // the API, installed locally: imported by name, typed, and able to run the same app
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "user-project", "private": true, "type": "module" }\n');
  npm(['install', tarball], project);
  writeFileSync(
    join(project, 'run.ts'),
    [
      "import { createRun, loadAppConfig, planRun, type Run, type RunOutcome } from 'amnesia';",
      `const config = planRun(loadAppConfig({ command: 'start', flags: { port: '${port}', restart: false }, env: {}, cwd: ${JSON.stringify(app)} }), []);`,
      'const run: Run = createRun(config);',
      'await run.start();',
      "console.log('urls', JSON.stringify([...run.urls()]));",
      "const outcome: RunOutcome = await run.controls.stop('done');",
      "console.log('outcome', outcome.kind);",
      '',
    ].join('\n'),
  );
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '--strict', '--skipLibCheck', 'false'].concat(
      ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'],
      // a user's project has its own @types/node; this one borrows the repository's
      ['--typeRoots', join(ROOT, 'node_modules/@types'), 'run.ts'],
    ),
    { cwd: project, encoding: 'utf8' },
  );
  // type-checked above (the package's own .d.ts files included), compiled to run.js
  const ran = execFileSync(process.execPath, ['run.js'], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(ran).toMatch(new RegExp(`urls \\[\\["web","http://127\\.0\\.0\\.1:${port}"\\]\\]`));
  expect(ran).toMatch(/outcome stopped/);
});
