// Shared helpers for the benchmarks: spawn a command, read its stdout, sample its CPU and peak RSS.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function sample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
    // a zombie has no VmHWM any more: keep the peak seen while it ran
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return { cpu, rssMb: hwm ? Number(hwm[1]) / 1024 : undefined };
  } catch {
    return undefined;
  }
}

const countLines = (buffer) => {
  let lines = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
  return lines;
};

// Runs argv with stdout into `sink` ('pipe': read by this process; or a file path); counts the lines that
// arrived; returns wall time, the process's own CPU and its peak RSS.
export function measure(argv, options = {}, sink = 'pipe') {
  return new Promise((resolve, reject) => {
    const fd = sink === 'pipe' ? undefined : openSync(sink, 'w');
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd ?? 'pipe', 'inherit'], ...options });
    let lines = 0;
    let last = { cpu: 0, rssMb: 0 };
    const timer = setInterval(() => {
      const now = sample(child.pid);
      if (now) last = { cpu: now.cpu, rssMb: Math.max(last.rssMb, now.rssMb ?? 0) };
    }, 10);
    child.stdout?.on('data', (chunk) => {
      lines += countLines(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      if (fd !== undefined) {
        closeSync(fd);
        lines = countLines(readFileSync(sink));
        rmSync(sink);
      }
      resolve({ code, lines, wallS, cpuS: last.cpu, rssMb: last.rssMb });
    });
  });
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export const ratio = (a, b) => (a / b).toFixed(2);
