// The UI's state (selection, pane, scroll anchors, search, help, an open finding) and the arithmetic of a
// pinned scroll. What each key does to it is press-key.ts.
import type { BalanceMode } from '../../shared/balance-modes.js';
import type { InstanceRow } from './snapshot.js';

export const PANES = ['logs', 'requests', 'findings'] as const;
export type Pane = (typeof PANES)[number];
export const FILTERS = ['all', 'instance', 'type'] as const;
export type Filter = (typeof FILTERS)[number];
/** the panes whose lines scroll by anchor */
export type LinePane = Exclude<Pane, 'findings'>;

/** what the keys can do: the run's controls, never the supervisor itself */
export interface TuiControls {
  restart(name: string): void;
  rollingRestart(): void;
  killInstance(name: string): void;
  /** stop one instance (it stays stopped), or start it again */
  toggleInstance(name: string): void;
  /** a crash-looping type: forget its crashes and start its crashed instances again */
  reviveType(type: string): void;
  scale(type: string, delta: number): void;
  /** start or stop `amnesia load` against a routed type's router */
  toggleLoad(type: string): void;
  pauseRestarts(paused: boolean): void;
  setBalance(mode: BalanceMode): void;
  quit(): void;
  kill(): void;
}

export interface UiState {
  /** the selected instance, by name: it stays selected when others come and go */
  selected: string | undefined;
  pane: Pane;
  filter: Filter;
  /** per pane, the sequence number of the last line shown; undefined: following the newest */
  anchor: Record<LinePane, number | undefined>;
  /** the finding under the cursor in the findings pane */
  finding: number;
  /** the finding opened with Enter, and how far its text is scrolled */
  detail: { index: number; scroll: number } | undefined;
  search: string;
  /** the search being typed; undefined: not typing */
  typing: string | undefined;
  help: boolean;
  paused: boolean;
  quitting: boolean;
  wrap: boolean;
}

export const initialUi: UiState = {
  selected: undefined,
  pane: 'logs',
  filter: 'all',
  anchor: { logs: undefined, requests: undefined },
  finding: 0,
  detail: undefined,
  search: '',
  typing: undefined,
  help: false,
  paused: false,
  quitting: false,
  wrap: false,
};

/** what the reducer needs to know about the screen */
export interface UiView {
  instances: readonly InstanceRow[];
  /** types whose instances are no longer restarted after a crash loop */
  looping: ReadonlySet<string>;
  balance: string;
  findings: number;
  /** rows of the pane body */
  height: number;
  /** the sequence numbers of a pane's lines as they are shown in this state (filter and search applied) */
  seqs(pane: LinePane, state: UiState): readonly number[];
}

export function selectedRow(state: UiState, instances: readonly InstanceRow[]): InstanceRow | undefined {
  return instances.find((row) => row.name === state.selected) ?? instances[0];
}

/** the lines a pane shows: [start, end) of its lines, and how many newer lines are below the view */
export function paneWindow(seqs: readonly number[], anchor: number | undefined, height: number) {
  // an anchor older than every line kept (the buffer moved on) shows the oldest page
  const end = Math.max(viewEnd(seqs, anchor), Math.min(height, seqs.length));
  return { start: Math.max(0, end - height), end, below: seqs.length - end };
}

function viewEnd(seqs: readonly number[], anchor: number | undefined): number {
  if (anchor === undefined) return seqs.length;
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((seqs[mid] ?? 0) <= anchor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type Scroll = 'pageup' | 'pagedown' | 'home' | 'end';

/** the anchor after a scroll key: undefined when the view reaches the newest line (it follows again) */
export function scrolled(seqs: readonly number[], anchor: number | undefined, height: number, how: Scroll) {
  const { end } = paneWindow(seqs, anchor, height);
  const top = Math.min(height, seqs.length);
  const next =
    how === 'end'
      ? seqs.length
      : how === 'home'
        ? top
        : how === 'pageup'
          ? Math.max(top, end - height)
          : Math.min(seqs.length, end + height);
  return next >= seqs.length ? undefined : seqs[next - 1];
}
