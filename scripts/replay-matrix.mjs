// The record-and-replay matrix: every example of examples/catalog.json recorded through `amnesia start
// --record` while its smoke client runs (one instance, no restarts), then `amnesia check --replay` on seeds
// 1..SEEDS (default 12). A stateful example must exit 1 with its cause-level finding, a stateless one exit 0
// with none, on every seed. Prints one line per example and exits 1 if any run got another verdict.
//   node scripts/replay-matrix.mjs [EXAMPLE...]      (after npm run build; SEEDS=3 for a quick pass)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { copyExamples, freePort, recordThrough } from '../bench/lib.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/amnesia.js');
const SEEDS = Number(process.env.SEEDS ?? 12);
const catalog = JSON.parse(readFileSync(join(ROOT, 'examples/catalog.json'), 'utf8'));
const wanted = process.argv.slice(2);
const rows = wanted.length > 0 ? catalog.filter((e) => wanted.includes(e.example)) : catalog;

function amnesia(args, cwd) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise((done) => child.once('close', (code) => done(code)));
  return { exited, output: () => out };
}

const root = copyExamples(ROOT, 'amnesia-matrix-');
let failed = 0;
try {
  for (const { example, smoke, cause } of rows) {
    const dir = join(root, 'examples', example);
    const har = join(dir, 'session.har');
    await recordThrough(BIN, dir, smoke, har);
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
