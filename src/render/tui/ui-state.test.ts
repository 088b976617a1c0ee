import { describe, expect, test } from 'vitest';

import type { Keypress } from './keys.js';
import type { InstanceRow } from './snapshot.js';
import { pressKey } from './press-key.js';
import { initialUi, paneWindow, type TuiControls, type UiState, type UiView } from './ui-state.js';

const row = (name: string, state: InstanceRow['state'] = 'ready'): InstanceRow => ({
  ...{ name, type: name.split('.')[0] ?? '', uid: 1, pid: 1, port: 1, state, startedAt: 0 },
  ...{ restarts: 0, requests: 0, errors: 0, cpu: undefined, rss: undefined },
});

function recorder(): TuiControls & { calls: string[] } {
  const calls: string[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]): void =>
      void calls.push([name, ...args.map(String)].join(' '));
  return {
    calls,
    ...{ restart: record('restart'), rollingRestart: record('rollingRestart'), killInstance: record('kill') },
    ...{ toggleInstance: record('toggle'), reviveType: record('revive'), scale: record('scale') },
    toggleLoad: record('load'),
    ...{ pauseRestarts: record('pause'), setBalance: record('balance'), quit: record('quit'), kill: record('killRun') },
  };
}

/** a view over `lines` log lines numbered 1..lines, 10 rows high */
function viewOf(lines: number, extra: Partial<UiView> = {}): UiView {
  const seqs = Array.from({ length: lines }, (_, i) => i + 1);
  return {
    instances: [row('web.1'), row('web.2'), row('worker.1')],
    looping: new Set(),
    balance: 'random',
    findings: 0,
    height: 10,
    seqs: () => seqs,
    ...extra,
  };
}

const key = (name: Keypress['name'], text = ''): Keypress => ({ name, text });
const chars = (text: string): Keypress[] => [...text].map((c) => key('char', c));

function press(keys: Keypress[], view: UiView, controls = recorder(), state: UiState = initialUi) {
  for (const k of keys) state = pressKey(state, k, view, controls);
  return { state, calls: controls.calls };
}

describe('keys in order', () => {
  test('r r restarts twice; two tabs reach the findings pane', () => {
    expect(press(chars('rr'), viewOf(0)).calls).toEqual(['restart web.1', 'restart web.1']);
    expect(press([key('tab'), key('tab')], viewOf(0)).state.pane).toBe('findings');
    expect(press([key('tab'), key('backtab'), key('backtab')], viewOf(0)).state.pane).toBe('findings');
  });

  test('a pasted search and its Enter apply the search; letters in it act on nothing', () => {
    const { state, calls } = press([...chars('/error'), key('return')], viewOf(0));
    expect(state.search).toBe('error');
    expect(state.typing).toBeUndefined();
    // the r's and the e were text, not restarts
    expect(calls).toEqual([]);
  });

  test('Esc closes the search being typed, then clears the search; Esc and q close help without quitting', () => {
    expect(press([...chars('/ab'), key('escape')], viewOf(0)).state).toMatchObject({ typing: undefined, search: '' });
    const searched = press([...chars('/ab'), key('return')], viewOf(0)).state;
    expect(press([key('escape')], viewOf(0), recorder(), searched).state.search).toBe('');
    for (const close of [key('escape'), key('char', 'q'), key('char', '?')]) {
      const { state, calls } = press([key('char', '?'), close], viewOf(0));
      expect(state.help).toBe(false);
      expect(calls).toEqual([]);
    }
  });

  test('Ctrl-C quits from anywhere, twice kills', () => {
    expect(press([...chars('/ab'), key('interrupt'), key('interrupt')], viewOf(0)).calls).toEqual(['quit', 'killRun']);
  });

  test('selection is by name, keys act on the selected instance; s toggles, r on a crash-looping type revives it', () => {
    const view = viewOf(0, { looping: new Set(['worker']) });
    const { state, calls } = press(
      [key('down'), key('down'), key('down'), ...chars('sr'), key('up'), ...chars('k+L')],
      view,
    );
    expect(state.selected).toBe('web.2');
    expect(calls).toEqual(['toggle worker.1', 'revive worker', 'kill web.2', 'scale web 1', 'load web']);
  });
});

describe('a scrolled pane stays pinned to its lines', () => {
  test('PgUp pins the view; lines that arrive later do not move it, and are counted below it', () => {
    const { state } = press([key('pageup')], viewOf(100));
    expect(paneWindow(viewOf(100).seqs('logs', state), state.anchor.logs, 10)).toEqual({
      start: 80,
      end: 90,
      below: 10,
    });
    // 50 more lines arrived
    expect(paneWindow(viewOf(150).seqs('logs', state), state.anchor.logs, 10)).toEqual({
      start: 80,
      end: 90,
      below: 60,
    });
  });

  test('PgDn back to the newest follows again; End follows at once; Home shows the oldest', () => {
    const up = press([key('pageup'), key('pageup')], viewOf(100)).state;
    expect(press([key('pagedown'), key('pagedown')], viewOf(100), recorder(), up).state.anchor.logs).toBeUndefined();
    expect(press([key('end')], viewOf(100), recorder(), up).state.anchor.logs).toBeUndefined();
    const home = press([key('home')], viewOf(100)).state;
    expect(paneWindow(viewOf(100).seqs('logs', home), home.anchor.logs, 10)).toEqual({ start: 0, end: 10, below: 90 });
    // PgUp at the top stays there
    const top = press([key('pageup')], viewOf(100), recorder(), home).state;
    expect(top.anchor.logs).toBe(10);
  });

  test('fewer lines than the pane: nothing to scroll, the view follows', () => {
    expect(press([key('pageup'), key('home')], viewOf(5)).state.anchor.logs).toBeUndefined();
  });

  test('an anchor older than every line kept shows the oldest page', () => {
    const seqs = Array.from({ length: 100 }, (_, i) => i + 500);
    expect(paneWindow(seqs, 3, 10)).toEqual({ start: 0, end: 10, below: 90 });
  });

  test('the requests pane scrolls on its own anchor', () => {
    const { state } = press([key('tab'), key('pageup')], viewOf(30));
    expect(state.anchor).toEqual({ logs: undefined, requests: 20 });
  });
});

describe('findings', () => {
  test('↑↓ move the cursor in the findings pane, Enter opens one, Esc closes it', () => {
    const view = viewOf(0, { findings: 3 });
    const opened = press([key('tab'), key('tab'), key('down'), key('down'), key('down'), key('return')], view).state;
    expect(opened.detail).toEqual({ index: 2, scroll: 0 });
    expect(opened.selected).toBeUndefined();
    const scrolled = press([key('pagedown'), key('up')], view, recorder(), opened).state;
    expect(scrolled.detail).toEqual({ index: 2, scroll: 9 });
    expect(press([key('escape')], view, recorder(), scrolled).state.detail).toBeUndefined();
  });

  test('Enter with no finding opens nothing', () => {
    expect(press([key('tab'), key('tab'), key('return')], viewOf(0)).state.detail).toBeUndefined();
  });
});
