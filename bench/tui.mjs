// npm run bench:tui: amnesia's terminal UI in a real terminal (tmux, 120x40), in two situations.
// 1. Idle: examples/hello (3 web instances and a worker that prints every 3 s) with no traffic and no
//    scheduled restarts, for IDLE seconds after WARMUP seconds: the manager's CPU (the UI redraws its clocks, the
//    usage sampler reads the process table every second), against `--headless` on the same app and, as the
//    floor, an idle Node.js process.
// 2. Flood: an instance prints as fast as it can for SECONDS; the manager's peak RSS and CPU (against
//    `--headless` on the same flood), and how long a keypress ('?', the help, opened and closed in turn)
//    takes to show. The floor for that is the same measurement on `cat` echoing a key in the same kind of
//    terminal while the same flood runs into /dev/null: what tmux and the polling cost by themselves.
// 3. Under load: examples/scaling (web=2, 1 ms of CPU per request) while `amnesia load` sends it LOAD_RATE
//    requests a second (open loop: the same work for both contenders) for SECONDS: the manager's CPU (the
//    router's work and, in the UI, the sparklines and per-instance figures redrawn every second) against
//    `--headless` under the same load, its peak RSS, and the keypress to screen as in the flood.
// ROUNDS (default 3) interleaves the contenders; medians are printed.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/amnesia.js');
const flood = join(root, 'bench/fixtures/flood.mjs');
const seconds = Number(process.env.SECONDS ?? 10);
const idleSeconds = Number(process.env.IDLE ?? 10);
const warmupSeconds = Number(process.env.WARMUP ?? 65);
const rounds = Number(process.env.ROUNDS ?? 3);
const loadRate = Number(process.env.LOAD_RATE ?? 500);
/** which situations to measure: PHASES=load measures only the third */
const phases = new Set((process.env.PHASES ?? 'idle,flood,load').split(','));
const dir = mkdtempSync(join(tmpdir(), 'amnesia-bench-tui-'));
// the server's socket in the bench's own folder, removed with it (kill-server leaves the file behind)
const socket = join(dir, 'tmux.sock');
const tmux = (...args) =>
  execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const floodApp = join(dir, 'flood');
const idleApps = [0, 1, 2].map((i) => join(dir, `hello-${i}`));
for (const app of idleApps) cpSync(join(root, 'examples/hello'), app, { recursive: true });
cpSync(join(root, 'examples/hello'), floodApp, { recursive: true });
writeFileSync(join(floodApp, 'Procfile'), `flood: node ${flood}\n`);
const scalingApp = join(dir, 'scaling');
cpSync(join(root, 'examples/scaling'), scalingApp, { recursive: true });

// The process the pane's shell started whose command line has `marker`.
function panePid(marker, session) {
  let children;
  try {
    const shell = tmux('display', '-p', '-t', session, '#{pane_pid}').trim();
    children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', shell], { encoding: 'utf8' });
  } catch {
    return undefined; // the shell has no child yet
  }
  const line = children.split('\n').find((l) => l.includes(marker));
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

async function open(cwd, command, marker, session = 'b') {
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', cwd, `${command}; sleep 30`);
  for (let i = 0; i < 200; i++) {
    const pid = panePid(marker, session);
    if (pid) return pid;
    await sleep(25);
  }
  throw new Error(`${command} did not start`);
}

// Quits the contender, waits until it has exited (the next contender would find its control socket), and
// ends the terminal (which may have gone with it: Ctrl-C reaches the pane's shell too).
async function close(quitKey, pid, session = 'b') {
  try {
    tmux('send-keys', '-t', session, quitKey);
  } catch {}
  for (let i = 0; i < 400 && existsSync(`/proc/${pid}`); i++) await sleep(25);
  if (existsSync(`/proc/${pid}`)) {
    console.log(`${session}: pid ${pid} still runs 10 s after ${quitKey}: killed`);
    process.kill(pid, 'SIGKILL');
  }
  try {
    tmux('kill-session', '-t', session);
  } catch {}
}

// Sends a key and waits until the screen shows `expect(screen)`; the milliseconds it took.
async function keypress(key, shown) {
  const pressed = performance.now();
  tmux('send-keys', '-t', 'b', key);
  while (performance.now() - pressed < 2000) {
    if (shown(tmux('capture-pane', '-p', '-t', 'b'))) return performance.now() - pressed;
    await sleep(2);
  }
  return Infinity;
}

const amnesiaCommand = (extra) => `env -u CI node ${bin} start ${extra}`;

// The three idle contenders side by side, each in a terminal (tmux session) and an app folder of its own:
// idle processes do not compete for the CPU. Measured after WARMUP seconds, once the instances' uptimes
// have left their first minute (shown in seconds until then, so redrawn every second).
async function idleRound() {
  const contenders = ['tui', 'headless', 'floor'];
  const pids = {};
  for (const [index, contender] of contenders.entries()) {
    const command =
      contender === 'floor'
        ? `node -e "setInterval(() => {}, 1000)"`
        : amnesiaCommand(`--no-restart -p ${6900 + index * 200} ${contender === 'headless' ? '--headless' : ''}`);
    pids[contender] = await open(
      idleApps[index],
      command,
      contender === 'floor' ? 'setInterval' : 'amnesia.js start',
      contender,
    );
  }
  await sleep(warmupSeconds * 1000);
  const before = Object.fromEntries(contenders.map((c) => [c, sample(pids[c])]));
  await sleep(idleSeconds * 1000);
  const result = {};
  for (const c of contenders) {
    const after = sample(pids[c]);
    result[c] = { cpuPercent: ((after.cpuS - before[c].cpuS) / idleSeconds) * 100, rssMb: after.rssMb };
  }
  for (const c of contenders) await close(c === 'tui' ? 'q' : 'C-c', pids[c], c);
  return result;
}

async function flooded(contender) {
  const command =
    contender === 'floor'
      ? `(node ${flood} > /dev/null &) ; cat`
      : amnesiaCommand(contender === 'headless' ? '--headless' : '');
  const pid = await open(floodApp, command, contender === 'floor' ? 'cat' : 'amnesia.js start');
  const started = Date.now();
  let last = { cpuS: 0, rssMb: 0 };
  const keys = [];
  while (Date.now() - started < seconds * 1000) {
    last = sample(pid) ?? last;
    const due = Date.now() - started > 2000 && keys.length < 4 && (Date.now() - started) / 1000 > keys.length * 1.5 + 2;
    if (due && contender === 'tui') {
      const opening = keys.length % 2 === 0;
      keys.push(await keypress('?', (screen) => screen.includes('this help') === opening));
    } else if (due && contender === 'floor') {
      const mark = `k${keys.length}`;
      keys.push(await keypress(mark, (screen) => screen.includes(mark)));
    }
    await sleep(50);
  }
  last = sample(pid) ?? last;
  if (!sample(pid)) {
    const screen = tmux('capture-pane', '-p', '-t', 'b').split('\n').filter(Boolean).slice(-5).join('\n');
    console.log(`${contender} ended before the flood did; its terminal:\n${screen}`);
  }
  await close(contender === 'tui' ? 'q' : 'C-c', pid);
  return { ...last, keys };
}

// The UI or headless on the scaling demo at web=2 while `amnesia load` runs beside it at a fixed rate.
async function loaded(contender) {
  const port = 7900;
  const command = `WORK_MS=1 ${amnesiaCommand(`-m web=2 -p ${port} ${contender === 'headless' ? '--headless' : ''}`)}`;
  const pid = await open(scalingApp, command, 'amnesia.js start');
  await sleep(3000);
  const args = [bin, 'load', `http://127.0.0.1:${port}/`, '-R', String(loadRate), '-d', `${seconds}s`, '--json'];
  const load = spawn('node', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  load.stdout.on('data', (d) => (out += d));
  const ended = new Promise((r) => load.once('close', r));
  const before = sample(pid);
  const keys = [];
  let last = before;
  let done = false;
  void ended.then(() => (done = true));
  while (!done) {
    last = sample(pid) ?? last;
    if (contender === 'tui' && keys.length < 4) {
      const opening = keys.length % 2 === 0;
      keys.push(await keypress('?', (screen) => screen.includes('this help') === opening));
    }
    await sleep(250);
  }
  const summary = JSON.parse(out);
  await close(contender === 'tui' ? 'q' : 'C-c', pid);
  return {
    cpuPercent: ((last.cpuS - before.cpuS) / (summary.durationMs / 1000)) * 100,
    rssMb: last.rssMb,
    keys,
    rps: summary.rps,
  };
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'never');

try {
  console.log(
    `bench:tui: ${rounds} rounds in a 120x40 tmux terminal; idle ${idleSeconds}s after ${warmupSeconds}s (examples/hello, no restarts), flood ${seconds}s`,
  );
  const results = {
    idle: { tui: [], headless: [], floor: [] },
    flood: { tui: [], headless: [], floor: [] },
    load: { tui: [], headless: [] },
  };
  for (let round = 0; round < rounds; round++) {
    const idle = phases.has('idle') ? await idleRound() : undefined;
    for (const contender of ['tui', 'headless', 'floor']) if (idle) results.idle[contender].push(idle[contender]);
    for (const contender of ['tui', 'headless', 'floor'])
      if (phases.has('flood')) results.flood[contender].push(await flooded(contender));
    for (const contender of ['tui', 'headless'])
      if (phases.has('load')) results.load[contender].push(await loaded(contender));
    process.stdout.write(`round ${round + 1}/${rounds} done\n`);
  }
  if (phases.has('idle')) {
    const idleCpu = (c) => median(results.idle[c].map((r) => r.cpuPercent));
    console.log('');
    console.log('idle (no traffic)           CPU, % of one core    RSS');
    for (const [label, c] of [
      ['terminal UI', 'tui'],
      ['--headless', 'headless'],
      ['idle Node.js (floor)', 'floor'],
    ]) {
      const rss = median(results.idle[c].map((r) => r.rssMb));
      console.log(`${label.padEnd(28)}${fmt(idleCpu(c), 2).padStart(6)} %             ${fmt(rss, 0).padStart(4)} MB`);
    }
    console.log(
      `terminal UI over the floor: ${fmt(idleCpu('tui') - idleCpu('floor'), 2)} points (target: UI at most 1%)`,
    );
  }
  if (phases.has('flood')) {
    const keys = (c) => results.flood[c].flatMap((r) => r.keys);
    const tuiKey = median(keys('tui'));
    const floorKey = median(keys('floor'));
    console.log('');
    console.log('flood                       peak RSS    CPU over the flood    keypress to screen (median, max)');
    for (const [label, c] of [
      ['terminal UI', 'tui'],
      ['--headless', 'headless'],
      ['cat in tmux (floor)', 'floor'],
    ]) {
      const rows = results.flood[c];
      const rss = median(rows.map((r) => r.rssMb));
      const cpu = median(rows.map((r) => r.cpuS));
      const key = c === 'headless' ? '' : `${fmt(median(keys(c)), 0)} ms, ${fmt(Math.max(...keys(c)), 0)} ms`;
      console.log(
        `${label.padEnd(28)}${fmt(rss, 0).padStart(4)} MB     ${c === 'floor' ? '     -' : `${fmt(cpu, 2).padStart(6)} s`}              ${key}`,
      );
    }
    console.log(
      `keypress: ${fmt(tuiKey, 0)} ms median, ${fmt(tuiKey - floorKey, 0)} ms over the floor (target: within 100 ms); ` +
        `UI peak RSS ${fmt(median(results.flood.tui.map((r) => r.rssMb)), 0)} MB (target: under 150 MB)`,
    );
  }
  if (phases.has('load')) {
    const loadCpu = (c) => median(results.load[c].map((r) => r.cpuPercent));
    const loadKeys = results.load.tui.flatMap((r) => r.keys);
    console.log('');
    console.log(
      `under load (${loadRate} req/s)        CPU, % of one core    peak RSS    keypress to screen (median, max)`,
    );
    for (const [label, c] of [
      ['terminal UI', 'tui'],
      ['--headless', 'headless'],
    ]) {
      const rss = median(results.load[c].map((r) => r.rssMb));
      const key = c === 'tui' ? `${fmt(median(loadKeys), 0)} ms, ${fmt(Math.max(...loadKeys), 0)} ms` : '';
      console.log(
        `${label.padEnd(28)}${fmt(loadCpu(c), 1).padStart(6)} %             ${fmt(rss, 0).padStart(4)} MB     ${key}`,
      );
    }
    console.log(
      `the UI's own cost under load: ${fmt(loadCpu('tui') - loadCpu('headless'), 1)} points of a core over --headless; ` +
        `peak RSS ${fmt(median(results.load.tui.map((r) => r.rssMb)), 0)} MB (target: under 150 MB), ` +
        `keypress ${fmt(median(loadKeys), 0)} ms (target: within 100 ms of the floor)`,
    );
  }
} finally {
  try {
    tmux('kill-server');
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}
