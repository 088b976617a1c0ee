// npm run bench:detect: for each stateful example, how many requests its smoke client made in the
// shuffled run before amnesia raised the first cause-level finding (one that names the state, not
// smoke-diverged), median over 5 seeds, default settings (the mirror on, as check runs it).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const seeds = [1, 2, 3, 4, 5];
const examples = [
  ['sessions-memory', 'node ../sessions-smoke.mjs'],
  ['sessions-single', 'SMOKE_PAUSE_MS=300 node ../sessions-smoke.mjs'],
  ['uploads-tmp', 'node ../uploads-smoke.mjs'],
  ['uploads-id-tmp', 'node ../uploads-id-smoke.mjs'],
  ['uploads-local', 'node ../uploads-smoke.mjs'],
  ['cache-memory', 'node ../cache-smoke.mjs'],
  ['ws-rooms-memory', 'node ../ws-rooms-smoke.mjs'],
  ['socketio-memory', 'node ../socketio-smoke.mjs'],
  ['flask-notes-memory', 'node ../notes-smoke.mjs'],
  ['flask-notes-sqlite', 'node ../notes-smoke.mjs'],
];
const SYMPTOMS = new Set(['smoke-diverged', 'smoke-failed', 'crash']);
const REQUEST = /^\S+ +\| (?:\w+: )?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ → \d{3}/;

const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-detect-'));
cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  console.log(
    `bench:detect: requests of the smoke client before the first cause-level finding, median over seeds ${seeds.join(', ')}`,
  );
  console.log('');
  const medians = [];
  for (const [example, command] of examples) {
    const counts = [];
    const kinds = new Set();
    for (const seed of seeds) {
      const port = 21000 + Math.floor(Math.random() * 30000);
      const out = spawnSync(
        'node',
        [
          join(root, 'bin/amnesia.js'),
          'check',
          '--run',
          command,
          '--seed',
          String(seed),
          '-p',
          String(port),
          '--log-requests',
          '--no-timestamp',
        ],
        {
          cwd: join(dir, 'examples', example),
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        },
      ).stdout;
      const lines = out.slice(out.indexOf('shuffled run')).split('\n');
      let requests = 0;
      let first;
      for (const line of lines) {
        if (REQUEST.test(line)) requests++;
        const finding = /FINDING (\S+)/.exec(line);
        // WebSocket broadcasts are judged at the end of the run: they count all the smoke client's requests
        if (finding && !SYMPTOMS.has(finding[1])) {
          first = finding[1];
          break;
        }
      }
      counts.push(first ? requests : Infinity);
      if (first) kinds.add(first);
    }
    const m = median(counts);
    medians.push(m);
    console.log(
      `${example.padEnd(18)} median ${String(m).padStart(3)}   per seed: ${counts.join(', ').padEnd(22)} first cause-level finding: ${[...kinds].join(', ') || 'none'}`,
    );
  }
  console.log('');
  console.log(`worst median: ${Math.max(...medians)} requests (target: at most 5)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
