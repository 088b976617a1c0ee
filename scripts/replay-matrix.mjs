// The record-and-replay matrix: every example of examples/catalog.json recorded through `amnesia start
// --record` while its smoke client runs (one instance, no restarts), then `amnesia check --replay` on seeds
// 1..SEEDS (default 12). A stateful example must exit 1 with its cause-level finding, a stateless one exit 0
// with none, on every seed. Prints one line per example and exits 1 if any run got another verdict.
//   node scripts/replay-matrix.mjs [EXAMPLE...]      (after npm run build; SEEDS=3 for a quick pass)
import { execSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/amnesia.js');
const SEEDS = Number(process.env.SEEDS ?? 12);
const catalog = JSON.parse(readFileSync(join(ROOT, 'examples/catalog.json'), 'utf8'));
const wanted = process.argv.slice(2);
const rows = wanted.length > 0 ? catalog.filter((e) => wanted.includes(e.example)) : catalog;

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

function amnesia(args, cwd) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise((done) => child.once('close', (code) => done(code)));
  const waitFor = async (pattern) => {
    while (!pattern.test(out)) {
      if (child.exitCode !== null) throw new Error(`amnesia exited:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return pattern.exec(out);
  };
  return { child, exited, waitFor, output: () => out };
}

async function record(dir, smoke) {
  const har = join(dir, 'session.har');
  const run = amnesia(['start', '--no-restart', '-m', 'web=1', '-p', String(await freePort()), '--record', har], dir);
  const [, url] = await run.waitFor(/→ (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitFor(/all instances started/);
  execSync(smoke, { cwd: dir, env: { ...process.env, AMNESIA_URL: url }, stdio: 'pipe' });
  run.child.kill('SIGINT');
  if ((await run.exited) !== 0) throw new Error(`start --record failed:\n${run.output()}`);
  return har;
}

const root = mkdtempSync(join(tmpdir(), 'amnesia-matrix-'));
let failed = 0;
try {
  cpSync(join(ROOT, 'examples'), join(root, 'examples'), {
    recursive: true,
    filter: (src) => !/\/\.amnesia$/.test(src),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  for (const { example, smoke, cause } of rows) {
    const dir = join(root, 'examples', example);
    const har = await record(dir, smoke);
    const verdicts = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const report = join(root, `${example}-${seed}.json`);
      const args = ['check', '-p', String(await freePort()), '--replay', har, '--seed', String(seed)];
      const run = amnesia([...args, '--report', report], dir);
      const code = await run.exited;
      if (!existsSync(report)) {
        failed++;
        verdicts.push(
          `[seed ${seed}: exit ${code}, no report: ${run.output().trim().split('\n').slice(-3).join(' / ')}]`,
        );
        continue;
      }
      const kinds = JSON.parse(readFileSync(report, 'utf8')).findings.map((f) => f.kind);
      const ok = cause ? code === 1 && kinds.includes(cause) : code === 0 && kinds.length === 0;
      if (!ok) failed++;
      verdicts.push(ok ? '.' : `[seed ${seed}: exit ${code} ${kinds.join(',') || 'no finding'}]`);
    }
    const expected = cause ? `exit 1 with ${cause}` : 'exit 0, no finding';
    console.log(`${example.padEnd(20)} ${expected.padEnd(28)} ${verdicts.join('')}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(failed === 0 ? `every run as expected (seeds 1-${SEEDS})` : `${failed} runs not as expected`);
process.exit(failed === 0 ? 0 : 1);
