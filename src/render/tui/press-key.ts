// What the keys do, as a function of the UI's state: one key in, the next state out (and a call on the run's
// controls where the key asks for one). The App feeds it every key of a chunk in order, so "rr", "\t\t" or a
// pasted search followed by Enter act as if typed one by one.
import { BALANCE_MODES, type BalanceMode } from '../../shared/balance-modes.js';
import type { Keypress } from './keys.js';
import {
  FILTERS,
  PANES,
  scrolled,
  selectedRow,
  type Scroll,
  type TuiControls,
  type UiState,
  type UiView,
} from './ui-state.js';

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
    case 'L':
      if (row) controls.toggleLoad(row.type);
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
