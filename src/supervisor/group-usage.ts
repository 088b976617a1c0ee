// What each process group costs: the CPU time of its live members (milliseconds, cumulative) and their
// resident memory (bytes, summed as top and pm2 do, shared pages counted in each). On Linux one pass over
// /proc/*/stat, read asynchronously so the router's event loop never waits on it; elsewhere (macOS) one
// `ps -A -o pgid=,rss=,time=`, whose TIME column carries hundredths there.
import { readdir, readFile } from 'node:fs/promises';

import { listProcesses } from './spawn.js';

export interface GroupUsage {
  cpuMs: number;
  rss: number;
}

/** USER_HZ: what /proc's utime and stime count in, 100 on every Linux architecture */
const TICK_MS = 10;
const BATCH = 64;

export async function groupUsage(pgids: readonly number[]): Promise<Map<number, GroupUsage>> {
  const wanted = new Set(pgids);
  const usage = new Map<number, GroupUsage>();
  const add = (pgid: number, cpuMs: number, rss: number): void => {
    if (!wanted.has(pgid)) return;
    const sum = usage.get(pgid) ?? { cpuMs: 0, rss: 0 };
    usage.set(pgid, { cpuMs: sum.cpuMs + cpuMs, rss: sum.rss + rss });
  };
  if (wanted.size === 0) return usage;
  if (process.platform === 'linux') {
    const page = await pageSize();
    const pids = (await readdir('/proc')).filter((entry) => entry.charCodeAt(0) <= 57);
    for (let i = 0; i < pids.length; i += BATCH) {
      const stats = await Promise.all(
        pids.slice(i, i + BATCH).map((pid) => readFile(`/proc/${pid}/stat`, 'latin1').catch(() => '')),
      );
      for (const stat of stats) {
        const parsed = parseStat(stat);
        if (parsed) add(parsed.pgid, parsed.ticks * TICK_MS, parsed.pages * page);
      }
    }
    return usage;
  }
  for (const line of (await listProcesses(['-A', '-o', 'pgid=,rss=,time='])).split('\n')) {
    const [pgid, rssKb, time] = line.trim().split(/\s+/);
    if (pgid && rssKb && time) add(Number(pgid), cpuTimeMs(time), Number(rssKb) * 1024);
  }
  return usage;
}

// /proc/PID/stat after the command name (which may hold spaces and parentheses): state ppid pgrp ... utime(12)
// stime(13) ... rss(22, pages). Zombies have no memory and their CPU time went to their parent.
export function parseStat(stat: string): { pgid: number; ticks: number; pages: number } | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 22 || fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return { pgid: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]), pages: Number(fields[21]) };
}

/** ps's TIME: `[[dd-]hh:]mm:ss[.cc]` */
export function cpuTimeMs(time: string): number {
  const [days, clock = ''] = time.includes('-') ? time.split('-') : ['0', time];
  const parts = clock.split(':').map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  return Math.round((Number(days) * 86_400 + seconds) * 1000);
}

let page: number | undefined;

// The kernel's page size (4 KiB on x86, up to 64 KiB on some arm64 kernels): our own resident pages in
// /proc/self/statm against the bytes Node reports for the same memory, rounded to a power of two.
async function pageSize(): Promise<number> {
  if (page !== undefined) return page;
  const pages = Number((await readFile('/proc/self/statm', 'latin1')).split(' ')[1]);
  const ratio = process.memoryUsage.rss() / pages;
  page = pages > 0 && Number.isFinite(ratio) ? 2 ** Math.round(Math.log2(ratio)) : 4096;
  return page;
}
