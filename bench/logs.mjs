// npm run bench:logs: relay of 1,000,000 lines by amnesia (headless, prefixes + timestamps), concurrently and
// node-foreman, against the child writing straight into the same consumer. Wall, own CPU and peak RSS.
// Two consumers: a pipe read by this process, and a file (concurrently exits before a pipe drains and
// loses the tail of its output, so the file table is the fair comparison for it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { measure, median, ratio } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const lines = Number(process.env.LINES ?? 1_000_000);
const runs = Number(process.env.RUNS ?? 5);
const printer = join(root, 'bench/fixtures/print-lines.mjs');
const command = `node ${printer} ${lines}`;
const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-logs-'));
// the file consumer lives outside the app root, where amnesia would (rightly) report it as a local write
const sinkDir = mkdtempSync(join(tmpdir(), 'amnesia-bench-sink-'));
writeFileSync(join(dir, 'Procfile'), `printer: ${command}\n`);
const bin = (name) => join(root, 'node_modules/.bin', name);

const contenders = {
  'child alone': ['node', printer, String(lines)],
  amnesia: ['node', join(root, 'bin/amnesia.js'), 'start', '--headless', '-f', join(dir, 'Procfile')],
  concurrently: [bin('concurrently'), '--timestamp-format', 'HH:mm:ss', '-p', '{time} {name} |', '-n', 'printer.1', command],
  'node-foreman': [bin('nf'), 'start', '-j', join(dir, 'Procfile')],
};

async function table(sink) {
  const results = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, argv] of Object.entries(contenders)) {
      const target = sink === 'pipe' ? 'pipe' : join(sinkDir, 'out.txt');
      const result = await measure(argv, { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } }, target);
      (results[name] ??= []).push(result);
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, list]) => [
      name,
      { wallS: median(list.map((r) => r.wallS)), cpuS: median(list.map((r) => r.cpuS)), rssMb: Math.max(...list.map((r) => r.rssMb)), lines: Math.min(...list.map((r) => r.lines)) },
    ]),
  );
  // this machine's speed drifts within minutes: each run's wall time is divided by the same run's child
  // alone (they ran back to back), and the median of those ratios is reported
  const wallRatio = (name) => median(results[name].map((r, i) => r.wallS / results['child alone'][i].wallS)).toFixed(2);
  console.log(`consumer: ${sink === 'pipe' ? 'a pipe read by the bench process' : 'a file'}`);
  console.log('                 wall   x child   own CPU   CPU x concurrently   peak RSS   lines arrived (fewest)');
  for (const [name, s] of Object.entries(summary)) {
    const cpuRatio = name === 'child alone' ? '' : ratio(s.cpuS, summary.concurrently.cpuS);
    const lost = s.lines < lines ? `  LOST ${(lines - s.lines).toLocaleString('en')}` : '';
    console.log(
      `${name.padEnd(15)} ${s.wallS.toFixed(2).padStart(5)}s   ${wallRatio(name).padStart(6)}   ${s.cpuS.toFixed(2).padStart(6)}s   ${cpuRatio.padStart(18)}   ${s.rssMb.toFixed(0).padStart(5)} MB   ${s.lines.toLocaleString('en')}${lost}`,
    );
  }
  console.log(
    `amnesia: wall ${wallRatio('amnesia')}x the child (target <= 1.10), CPU ${ratio(summary.amnesia.cpuS, summary.concurrently.cpuS)}x concurrently's (target < 1), peak RSS ${summary.amnesia.rssMb.toFixed(0)} MB (target < 100)`,
  );
  console.log('');
}

try {
  console.log(`bench:logs: ${lines.toLocaleString('en')} lines, median of ${runs} runs (wall: median of each run's ratio); own CPU and RSS are the measured process alone`);
  console.log('');
  await table('pipe');
  await table('file');
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(sinkDir, { recursive: true, force: true });
}
