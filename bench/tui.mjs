// npm run bench:tui: an instance floods its output for 10 s while amnesia runs in a real terminal (tmux);
// reports the manager's peak RSS and CPU, and how long a keypress ('?', the help) takes to show during the
// flood. The same flood through amnesia --headless (in the same terminal) is the comparison.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const seconds = Number(process.env.SECONDS ?? 10);
const socket = `amnesia-bench-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-tui-'));
writeFileSync(join(dir, 'Procfile'), `flood: node ${join(root, 'bench/fixtures/flood.mjs')}\n`);

function managerPid() {
  const shell = tmux('display', '-p', '-t', 'b', '#{pane_pid}').trim();
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', shell], { encoding: 'utf8' });
  const line = children.split('\n').find((l) => l.includes('amnesia.js start'));
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
}

function sample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return { cpuS: (Number(fields[11]) + Number(fields[12])) / 100, rssMb: hwm ? Number(hwm[1]) / 1024 : 0 };
  } catch {
    return undefined;
  }
}

async function run(mode) {
  const extra = mode === 'headless' ? '--headless' : '';
  tmux(
    'new-session',
    '-d',
    '-s',
    'b',
    '-x',
    '120',
    '-y',
    '40',
    '-c',
    dir,
    `env -u CI node ${process.env.NODE_FLAGS ?? ''} ${join(root, 'bin/amnesia.js')} start ${extra}; sleep 30`,
  );
  let pid;
  for (let i = 0; i < 100 && !pid; i++) {
    await sleep(50);
    pid = managerPid();
  }
  const started = Date.now();
  let last = { cpuS: 0, rssMb: 0 };
  const keys = [];
  while (Date.now() - started < seconds * 1000) {
    last = sample(pid) ?? last;
    if (
      mode === 'tui' &&
      Date.now() - started > 2000 &&
      keys.length < 3 &&
      (Date.now() - started) / 1000 > keys.length * 2.5 + 2
    ) {
      const pressed = Date.now();
      tmux('send-keys', '-t', 'b', '?');
      let shownMs;
      while (Date.now() - pressed < 2000) {
        const open = tmux('capture-pane', '-p', '-t', 'b').includes('this help');
        if (open === (keys.length % 2 === 0)) {
          shownMs = Date.now() - pressed;
          break;
        }
        await sleep(5);
      }
      keys.push(shownMs ?? Infinity);
    }
    await sleep(50);
  }
  last = sample(pid) ?? last;
  tmux('send-keys', '-t', 'b', mode === 'tui' ? 'q' : 'C-c');
  await sleep(1500);
  tmux('kill-server');
  return { ...last, keys };
}

try {
  console.log(`bench:tui: an instance floods its output for ${seconds}s; amnesia in a 120x40 tmux terminal`);
  const tui = await run('tui');
  const headless = await run('headless');
  console.log('');
  console.log('               peak RSS    CPU over the flood');
  console.log(`terminal UI   ${tui.rssMb.toFixed(0).padStart(5)} MB    ${tui.cpuS.toFixed(2)} s`);
  console.log(
    `--headless    ${headless.rssMb.toFixed(0).padStart(5)} MB    ${headless.cpuS.toFixed(2)} s   (the same flood printed as lines, for comparison)`,
  );
  console.log('');
  console.log(
    `keypress to screen during the flood: ${tui.keys.map((ms) => `${ms} ms`).join(', ')} (target: within 200 ms)`,
  );
  console.log(`peak RSS ${tui.rssMb.toFixed(0)} MB (target: under 150 MB)`);
} finally {
  try {
    tmux('kill-server');
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}
