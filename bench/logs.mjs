// npm run bench:logs: relay of 1,000,000 lines by amnesia (headless, prefixes + timestamps), concurrently,
// node-foreman and a minimal relay (the floor), against the child writing straight into the same consumer.
// Wall, own CPU and peak RSS.
// Two consumers: a pipe read by this process, and a file (concurrently exits before a pipe drains and
// loses the tail of its output, so the file table is the fair comparison for it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { measure, median, ratio } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const lines = Number(process.env.LINES ?? 1_000_000);
const runs = Number(process.env.RUNS ?? 7);
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
  concurrently: [
    bin('concurrently'),
    '--timestamp-format',
    'HH:mm:ss',
    '-p',
    '{time} {name} |',
    '-n',
    'printer.1',
    command,
  ],
  'node-foreman': [bin('nf'), 'start', '-j', join(dir, 'Procfile')],
  // the floor: the smallest Node.js relay with the same prefixes (bench/fixtures/minimal-relay.mjs)
  'minimal relay': ['node', join(root, 'bench/fixtures/minimal-relay.mjs'), 'printer.1', command],
};

// The machine's speed drifts within minutes (one run's ratio can be anywhere from 0.8 to 1.4), so every
// manager's run sits between two runs of the child alone and is divided by their mean, which cancels a
// steady drift; the median of those ratios is reported, with their middle half.
async function table(sink) {
  const target = sink === 'pipe' ? 'pipe' : join(sinkDir, 'out.txt');
  const once = (argv) => measure(argv, { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } }, target);
  const results = { 'child alone': [] };
  const ratioLists = { 'child alone': [] };
  const managers = Object.entries(contenders).filter(([name]) => name !== 'child alone');
  for (let run = 0; run < runs; run++) {
    let before = await once(contenders['child alone']);
    results['child alone'].push(before);
    for (const [name, argv] of managers) {
      const result = await once(argv);
      const after = await once(contenders['child alone']);
      (results[name] ??= []).push(result);
      results['child alone'].push(after);
      (ratioLists[name] ??= []).push(result.wallS / ((before.wallS + after.wallS) / 2));
      ratioLists['child alone'].push(1);
      before = after;
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, list]) => [
      name,
      {
        wallS: median(list.map((r) => r.wallS)),
        cpuS: median(list.map((r) => r.cpuS)),
        rssMb: Math.max(...list.map((r) => r.rssMb)),
        lines: Math.min(...list.map((r) => r.lines)),
      },
    ]),
  );
  const ratios = (name) => [...ratioLists[name]].sort((a, b) => a - b);
  const wallRatio = (name) => median(ratios(name)).toFixed(2);
  const spread = (name) => {
    const list = ratios(name);
    return `${list[Math.floor((list.length - 1) / 4)].toFixed(2)}-${list[Math.ceil(((list.length - 1) * 3) / 4)].toFixed(2)}`;
  };
  console.log(`consumer: ${sink === 'pipe' ? 'a pipe read by the bench process' : 'a file'}`);
  console.log(
    '                 wall   x child   (middle half)   own CPU   CPU x concurrently   peak RSS   lines arrived (fewest)',
  );
  for (const [name, s] of Object.entries(summary)) {
    const cpuRatio = name === 'child alone' ? '' : ratio(s.cpuS, summary.concurrently.cpuS);
    const lost = s.lines < lines ? `  LOST ${(lines - s.lines).toLocaleString('en')}` : '';
    console.log(
      `${name.padEnd(15)} ${s.wallS.toFixed(2).padStart(5)}s   ${wallRatio(name).padStart(6)}   ${spread(name).padStart(13)}   ${s.cpuS.toFixed(2).padStart(6)}s   ${cpuRatio.padStart(18)}   ${s.rssMb.toFixed(0).padStart(5)} MB   ${s.lines.toLocaleString('en')}${lost}`,
    );
  }
  console.log(
    `amnesia: wall ${wallRatio('amnesia')}x the child (target <= 1.10), CPU ${ratio(summary.amnesia.cpuS, summary.concurrently.cpuS)}x concurrently's (target < 1), peak RSS ${summary.amnesia.rssMb.toFixed(0)} MB (target < 100)`,
  );
  console.log(
    `        the minimal relay's wall: ${wallRatio('minimal relay')}x the child; amnesia over it: ${(median(ratios('amnesia')) / median(ratios('minimal relay'))).toFixed(2)}x`,
  );
  console.log('');
}

try {
  console.log(
    `bench:logs: ${lines.toLocaleString('en')} lines, median of ${runs} rounds (wall: each manager's run over the mean of the child runs just before and after it); own CPU and RSS are the measured process alone`,
  );
  console.log('');
  await table('pipe');
  await table('file');
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(sinkDir, { recursive: true, force: true });
}
