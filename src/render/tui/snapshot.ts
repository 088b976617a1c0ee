// What the TUI draws: one immutable snapshot of the run, rebuilt by the store at most once per frame.
import type { InstanceRow } from '../../events/instance-rows.js';
import type { Finding } from '../../shared/finding.js';
import type { Figures, History } from '../../stats/traffic.js';

export type { InstanceRow };

/** the routed traffic, read once a second: per routed type its figures and last minute, per instance its figures */
export interface TrafficView {
  types: Array<{ type: string; figures: Figures; history: History }>;
  instances: Record<string, Figures>;
  /** every routed type's requests per second together */
  rps: number;
}

export interface RequestRow {
  /** increases by one per request: a scrolled view is pinned to one */
  seq: number;
  at: number;
  method: string;
  path: string;
  instance: string;
  status: number;
  durationMs: number;
  hop: boolean;
  afterRestart: boolean;
}

export interface LogLine {
  /** increases by one per line: a scrolled view is pinned to one */
  seq: number;
  name: string;
  type: string;
  text: string;
  /** amnesia's own line about the instance (started, ready, crashed...), not its output */
  event: boolean;
}

export interface Snapshot {
  version: number;
  status: 'starting' | 'running' | 'stopping' | 'stopped';
  statusText: string;
  routers: Array<{ type: string; url: string }>;
  formation: Array<[string, number]>;
  types: string[];
  balance: string;
  seed: number;
  restartEveryMs: number | undefined;
  instances: InstanceRow[];
  logs: LogLine[];
  requests: RequestRow[];
  findings: Finding[];
  /** types no longer restarted after a crash loop */
  looping: string[];
  /** one line of news: the last restart, finding or reload */
  notice: string;
  /** when the next scheduled restart is due (epoch ms); undefined: none is */
  nextRestartAt: number | undefined;
  traffic: TrafficView;
  /** the types `L` is sending load to */
  loads: string[];
}

/** the parts of a snapshot that events set directly */
export type BaseSnapshot = Omit<
  Snapshot,
  'version' | 'instances' | 'looping' | 'logs' | 'requests' | 'findings' | 'traffic'
>;
