// The instance table's columns, one list per terminal width: the UI's table and `amnesia ps` draw from the
// same definitions, so the two never disagree on what a column is called, how wide it is or what it shows.
import { shownState, type InstanceRow } from '../../events/instance-rows.js';
import type { Figures } from '../../stats/latency-window.js';
import { bytesText, cpuText, fit, uptimeOf } from './format.js';

export interface CellContext {
  now: number;
  looping: readonly string[];
  /** req/s and latency per instance name */
  traffic: Readonly<Record<string, Figures>>;
}

export interface Column {
  title: string;
  /** the last column is not padded */
  width: number;
  cell(row: InstanceRow, c: CellContext): string;
  /** coloured by the instance's state */
  state?: true;
}

/** a latency as the table shows it: `0.42`, `3.1`, `120` (ms); `-` without a request in the window */
export const latencyText = (ms: number | undefined): string =>
  ms === undefined ? '-' : ms < 1 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : String(Math.round(ms));

/** requests per second: `0.4`, `12`, `1234` */
export const rateText = (rps: number): string => (rps < 10 ? rps.toFixed(1) : String(Math.round(rps)));

const figures = (row: InstanceRow, c: CellContext): Figures | undefined => c.traffic[row.name];
const column = (title: string, width: number, cell: Column['cell'], state?: true): Column =>
  state ? { title, width, cell, state } : { title, width, cell };

const state = (width: number): Column => column('STATE', width, (row, c) => shownState(row, c.looping), true);
const uptime = (title: string, width: number): Column => column(title, width, (row, c) => uptimeOf(row, c.now));
const restarts = (title: string, width: number): Column => column(title, width, (row) => String(row.restarts));
const requests = (title: string, width: number): Column => column(title, width, (row) => String(row.requests));
const errors = (title: string, width: number): Column => column(title, width, (row) => String(row.errors));

const NAME = column('NAME', 12, (row) => row.name);
const PID = column('PID', 8, (row) => String(row.pid));
const PORT = column('PORT', 7, (row) => String(row.port ?? '-'));
const CPU = column('CPU%', 6, (row) => cpuText(row.cpu));
const RSS = column('RSS', 7, (row) => bytesText(row.rss));
const RPS = column('REQ/S', 7, (row, c) => rateText(figures(row, c)?.rps ?? 0));
const P50 = column('P50', 7, (row, c) => latencyText(figures(row, c)?.p50));
const P99 = column('P99', 7, (row, c) => latencyText(figures(row, c)?.p99));

const BASE = [NAME, PID, PORT, state(11), uptime('UPTIME', 9), restarts('RESTARTS', 10), requests('REQUESTS', 10)];

export type Tier = 'narrow' | 'medium' | 'wide' | 'full';

export const TIERS: Record<Tier, readonly Column[]> = {
  narrow: [
    column('NAME', 10, (row) => row.name),
    state(10),
    uptime('UP', 7),
    restarts('RST', 4),
    requests('REQ', 6),
    errors('ERR', 4),
  ],
  medium: [...BASE, errors('ERRORS', 8)],
  wide: [...BASE, errors('ERRORS', 8), CPU, RSS],
  full: [...BASE, errors('ERRORS', 8), CPU, RSS, RPS, P50, P99],
};

/** the columns that fit in a terminal this wide */
export const tierOf = (width: number): Tier =>
  width < 70 ? 'narrow' : width < 92 ? 'medium' : width < 112 ? 'wide' : 'full';

/** a row's cells, each padded to its column's width but the last */
export const cellsOf = (columns: readonly Column[], row: InstanceRow, c: CellContext): string[] =>
  columns.map((col, i) => (i === columns.length - 1 ? col.cell(row, c) : fit(col.cell(row, c), col.width)));

export const headOf = (columns: readonly Column[]): string[] =>
  columns.map((col, i) => (i === columns.length - 1 ? col.title : fit(col.title, col.width)));
