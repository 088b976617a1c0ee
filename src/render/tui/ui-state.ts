// What the keys do, as a function of the UI's state: one key in, the next state out (and a call on the run's
// controls where the key asks for one). The App feeds it every key of a chunk in order, so "rr", "\t\t" or a
// pasted search followed by Enter act as if typed one by one.
import { BALANCE_MODES, type BalanceMode } from '../../shared/balance-modes.js';
import type { Keypress } from './keys.js';
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

type Scroll = 'pageup' | 'pagedown' | 'home' | 'end';

function scrolled(seqs: readonly number[], anchor: number | undefined, height: number, how: Scroll) {
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

const cycle = <T>(list: readonly T[], current: T, step = 1): T =>
  list[(list.indexOf(current) + step + list.length) % list.length] ?? current;

function typingKey(state: UiState, key: Keypress): UiState {
  const typing = state.typing ?? '';
  if (key.name === 'return')
    return { ...state, search: typing, typing: undefined, anchor: { ...state.anchor, logs: undefined } };
  if (key.name === 'escape') return { ...state, typing: undefined };
  if (key.name === 'backspace') return { ...state, typing: typing.slice(0, -1) };
  if (key.name === 'char') return { ...state, typing: typing + key.text };
  return state;
}

function quit(state: UiState, controls: TuiControls): UiState {
  if (state.quitting) controls.kill();
  else controls.quit();
  return { ...state, quitting: true };
}

function scrollKey(state: UiState, how: Scroll, view: UiView): UiState {
  if (state.pane === 'findings') {
    const last = Math.max(0, view.findings - 1);
    const step = how === 'pageup' ? -view.height : how === 'pagedown' ? view.height : 0;
    const finding = how === 'home' ? 0 : how === 'end' ? last : Math.max(0, Math.min(last, state.finding + step));
    return { ...state, finding };
  }
  const pane = state.pane;
  const anchor = scrolled(view.seqs(pane, state), state.anchor[pane], view.height, how);
  return { ...state, anchor: { ...state.anchor, [pane]: anchor } };
}

function move(state: UiState, step: number, view: UiView): UiState {
  if (state.pane === 'findings') {
    return { ...state, finding: Math.max(0, Math.min(view.findings - 1, state.finding + step)) };
  }
  const rows = view.instances;
  const index = rows.findIndex((row) => row.name === selectedRow(state, rows)?.name);
  const next = rows[Math.max(0, Math.min(rows.length - 1, index + step))];
  return { ...state, selected: next?.name ?? state.selected };
}

function detailKey(state: UiState, key: Keypress, view: UiView): UiState {
  const detail = state.detail;
  if (!detail) return state;
  const by = { up: -1, down: 1, pageup: -view.height, pagedown: view.height } as Partial<Record<string, number>>;
  const step = by[key.name];
  if (step !== undefined) return { ...state, detail: { ...detail, scroll: Math.max(0, detail.scroll + step) } };
  if (key.name === 'home') return { ...state, detail: { ...detail, scroll: 0 } };
  if (key.name === 'escape' || key.name === 'return' || (key.name === 'char' && key.text === 'q'))
    return { ...state, detail: undefined };
  return state;
}

/** the run control a letter stands for, on the selected instance */
function commandKey(state: UiState, text: string, view: UiView, controls: TuiControls): UiState {
  const row = selectedRow(state, view.instances);
  switch (text) {
    case 'r':
      if (row && view.looping.has(row.type)) controls.reviveType(row.type);
      else if (row) controls.restart(row.name);
      return state;
    case 'R':
      controls.rollingRestart();
      return state;
    case 'k':
      if (row) controls.killInstance(row.name);
      return state;
    case 's':
      if (row) controls.toggleInstance(row.name);
      return state;
    case '+':
    case '=':
      if (row) controls.scale(row.type, 1);
      return state;
    case '-':
      if (row) controls.scale(row.type, -1);
      return state;
    case 'c':
      controls.pauseRestarts(!state.paused);
      return { ...state, paused: !state.paused };
    case 'b':
      controls.setBalance(cycle(BALANCE_MODES, view.balance as BalanceMode));
      return state;
    case '?':
      return { ...state, help: true };
    case '/':
      return { ...state, typing: '' };
    case 'f':
      return { ...state, filter: cycle(FILTERS, state.filter), anchor: { ...state.anchor, logs: undefined } };
    case 'w':
      return { ...state, wrap: !state.wrap };
    case 'q':
      return quit(state, controls);
    default:
      return state;
  }
}

export function pressKey(state: UiState, key: Keypress, view: UiView, controls: TuiControls): UiState {
  // Ctrl-C always reaches the run, whatever is open
  if (key.name === 'interrupt') return quit(state, controls);
  if (state.typing !== undefined) return typingKey(state, key);
  if (state.help) return { ...state, help: false };
  if (state.detail) return detailKey(state, key, view);
  switch (key.name) {
    case 'up':
      return move(state, -1, view);
    case 'down':
      return move(state, 1, view);
    case 'tab':
    case 'backtab':
      return { ...state, pane: cycle(PANES, state.pane, key.name === 'tab' ? 1 : -1) };
    case 'pageup':
    case 'pagedown':
    case 'home':
    case 'end':
      return scrollKey(state, key.name, view);
    case 'return':
      return state.pane === 'findings' && view.findings > 0
        ? { ...state, detail: { index: Math.min(state.finding, view.findings - 1), scroll: 0 } }
        : state;
    case 'escape':
      return { ...state, search: '' };
    case 'char':
      return commandKey(state, key.text, view, controls);
    default:
      return state;
  }
}
