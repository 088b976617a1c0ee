// What each process group costs: the CPU time of its live members (milliseconds, cumulative) and their
// resident memory (bytes, summed as top and pm2 do, shared pages counted in each). On Linux, from /proc: the
// group leader and its descendants (each process's children list), a handful of small reads per instance
// rather than a pass over every process on the machine (bench:tui: an async pass over /proc every second
// cost the idle manager ~0.6% of a core; this costs a tenth of it). A group whose leader is gone, or a
// kernel without children lists, gets the pass over /proc. Elsewhere (macOS) one `ps -A -o pgid=,rss=,time=`,
// whose TIME column carries hundredths there.
import { readdirSync, readFileSync } from 'node:fs';

import { listProcesses } from './spawn.js';

export interface GroupUsage {
  cpuMs: number;
  rss: number;
}

/** USER_HZ: what /proc's utime and stime count in, 100 on every Linux architecture */
const TICK_MS = 10;

export async function groupUsage(pgids: readonly number[]): Promise<Map<number, GroupUsage>> {
  const usage = new Map<number, GroupUsage>();
  const add = (pgid: number, cpuMs: number, rss: number): void => {
    const sum = usage.get(pgid) ?? { cpuMs: 0, rss: 0 };
    usage.set(pgid, { cpuMs: sum.cpuMs + cpuMs, rss: sum.rss + rss });
  };
  if (pgids.length === 0) return usage;
  if (process.platform !== 'linux') {
    const wanted = new Set(pgids);
    for (const line of (await listProcesses(['-A', '-o', 'pgid=,rss=,time='])).split('\n')) {
      const [pgid, rssKb, time] = line.trim().split(/\s+/);
      if (pgid && rssKb && time && wanted.has(Number(pgid))) add(Number(pgid), cpuTimeMs(time), Number(rssKb) * 1024);
    }
    return usage;
  }
  const page = pageSize();
  const scan = new Set<number>();
  for (const pgid of pgids) {
    const members = descendants(pgid);
    if (!members) scan.add(pgid);
    for (const pid of members ?? []) {
      const parsed = parseStat(read(`/proc/${pid}/stat`));
      // a descendant that moved to a group of its own is still the instance's (strays are stopped with it)
      if (parsed) add(pgid, parsed.ticks * TICK_MS, parsed.pages * page);
    }
  }
  if (scan.size > 0) {
    for (const entry of readdirSync('/proc')) {
      if (entry.charCodeAt(0) > 57) continue;
      const parsed = parseStat(read(`/proc/${entry}/stat`));
      if (parsed && scan.has(parsed.pgid)) add(parsed.pgid, parsed.ticks * TICK_MS, parsed.pages * page);
    }
  }
  return usage;
}

const read = (path: string): string => {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
};

// The leader and every descendant, through /proc/PID/task/PID/children (the children its main thread
// started, which is where a shell or a server forks); undefined when the leader is gone or the kernel
// keeps no children lists.
function descendants(leader: number): number[] | undefined {
  const found: number[] = [];
  const queue = [leader];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1');
    } catch {
      if (pid === leader) return undefined;
      continue;
    }
    found.push(pid);
    for (const child of children.split(' '))
      if (child !== '' && !found.includes(Number(child))) queue.push(Number(child));
  }
  return found;
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
function pageSize(): number {
  if (page !== undefined) return page;
  const pages = Number(read('/proc/self/statm').split(' ')[1]);
  const ratio = process.memoryUsage.rss() / pages;
  page = pages > 0 && Number.isFinite(ratio) ? 2 ** Math.round(Math.log2(ratio)) : 4096;
  return page;
}
