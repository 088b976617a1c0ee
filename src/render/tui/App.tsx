import { Box, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { ColorContext, useColor } from './colors.js';
import { Header, headerClock } from './Header.js';
import { uptimeOf } from './format.js';
import { InstanceTable } from './InstanceTable.js';
import { keysOf } from './keys.js';
import { FindingDetail, findingView } from './FindingDetail.js';
import { HelpPane } from './HelpPane.js';
import { FindingsPane, LogPane, PaneTabs, RequestPane } from './Panes.js';
import { pressKey } from './press-key.js';
import type { LogLine, Snapshot } from './store.js';
import type { TuiStore } from './store.js';
import { initialUi, paneWindow, selectedRow, type TuiControls, type UiState, type UiView } from './ui-state.js';

export type { TuiControls } from './ui-state.js';

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  });
  return size;
}

/** the log lines a state shows: its filter on the selected instance or type, and its search (any case) */
function visibleLogs(snapshot: Snapshot, state: UiState): readonly LogLine[] {
  const row = selectedRow(state, snapshot.instances);
  const search = state.search.toLowerCase();
  if ((state.filter === 'all' || !row) && search === '') return snapshot.logs;
  return snapshot.logs.filter(
    (line) =>
      (state.filter === 'all' ||
        !row ||
        (state.filter === 'instance' ? line.name === row.name : line.type === row.type)) &&
      (search === '' || line.text.toLowerCase().includes(search)),
  );
}

// Rows: the header (2, and a traffic line per routed type), the tabs (1) and the key line (1) always show,
// and one spare row so that ink never draws a full screen (which would scroll the header away). The table
// gets at most half of the rest when there are many instances; the pane body at least 3 rows while the
// terminal allows it.
export function layout(rows: number, instances: number, trafficRows = 0) {
  const available = Math.max(2, rows - 5 - trafficRows);
  const cap = Math.max(1, Math.min(available - 4, Math.max(6, Math.floor((available - 1) / 2))));
  const tableRows = Math.max(1, Math.min(Math.max(1, instances), cap));
  return { tableRows, bodyHeight: Math.max(1, available - 1 - tableRows), helpHeight: available };
}

export function App({
  store,
  controls,
  now: clock = Date.now,
  replay = '',
  color = true,
}: {
  store: TuiStore;
  controls: TuiControls;
  now?: () => number;
  /** the command line that replays this run (shown with a finding) */
  replay?: string;
  /** paint colours (off: NO_COLOR, TERM=dumb, FORCE_COLOR=0) */
  color?: boolean;
}) {
  const c = useColor();
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize();
  const [now, setNow] = useState(clock);
  const [ui, setUi] = useState<UiState>(initialUi);

  // Time moves the countdown, the traffic figures and the uptimes: a redraw when one of them would show
  // something else, not every second (an idle screen costs nothing to keep).
  const paused = useRef(ui.paused);
  paused.current = ui.paused;
  useEffect(() => {
    let shown = '';
    const timer = setInterval(() => {
      const at = clock();
      store.tick();
      const current = store.getSnapshot();
      const text = headerClock(current, at, paused.current) + current.instances.map((row) => uptimeOf(row, at)).join();
      if (text !== shown) setNow(at);
      shown = text;
    }, 1000);
    return () => clearInterval(timer);
  }, [clock, store]);

  const { tableRows, bodyHeight, helpHeight } = layout(rows, snapshot.instances.length, snapshot.traffic.types.length);
  const view: UiView = {
    instances: snapshot.instances,
    looping: new Set(snapshot.looping),
    balance: snapshot.balance,
    findings: snapshot.findings.length,
    height: bodyHeight,
    seqs: (pane, state) => (pane === 'logs' ? visibleLogs(snapshot, state) : snapshot.requests).map((line) => line.seq),
  };

  // Keys act on the newest state, even before React has drawn the previous key's: every key of a chunk
  // ("rr", a pasted search and its Enter) goes through the reducer in order. ink registers the input
  // handler in an effect, after the frame is drawn, so the handler goes through a ref every render updates.
  const latest = useRef(ui);
  latest.current = ui;
  const onKey = useRef<Parameters<typeof useInput>[0]>(() => undefined);
  onKey.current = (input, key) => {
    let state = latest.current;
    for (const press of keysOf(input, key)) state = pressKey(state, press, view, controls);
    if (state === latest.current) return;
    latest.current = state;
    setUi(state);
  };
  useInput((input, key) => onKey.current(input, key));

  const current = selectedRow(ui, snapshot.instances);
  const selected = current ? snapshot.instances.indexOf(current) : 0;
  const logs = visibleLogs(snapshot, ui);
  const window = ui.pane === 'requests' ? snapshot.requests : logs;
  const { start, end, below } = paneWindow(
    window.map((line) => line.seq),
    ui.anchor[ui.pane === 'requests' ? 'requests' : 'logs'],
    bodyHeight,
  );
  const filterText =
    ui.filter === 'all' || !current
      ? 'all instances'
      : ui.filter === 'instance'
        ? current.name
        : `type ${current.type}`;
  const detail = ui.detail ? findingView(snapshot, ui.detail.index, replay) : undefined;
  return (
    <ColorContext.Provider value={color}>
      <Box flexDirection="column" width={columns}>
        <Header snapshot={snapshot} clock={headerClock(snapshot, now, ui.paused)} width={columns} />
        {ui.help ? null : (
          <InstanceTable snapshot={snapshot} selected={selected} now={now} width={columns} rows={tableRows} />
        )}
        <PaneTabs
          pane={ui.pane}
          filter={filterText}
          search={ui.typing === undefined ? ui.search : `${ui.typing}▏`}
          below={ui.pane === 'findings' ? 0 : below}
        />
        {ui.help ? (
          <HelpPane height={helpHeight} width={columns} />
        ) : detail ? (
          <FindingDetail lines={detail} height={bodyHeight} scroll={ui.detail?.scroll ?? 0} />
        ) : ui.pane === 'logs' ? (
          <LogPane
            lines={logs}
            types={snapshot.types}
            height={bodyHeight}
            width={columns}
            start={start}
            end={end}
            search={ui.search}
            wrap={ui.wrap}
          />
        ) : ui.pane === 'requests' ? (
          <RequestPane snapshot={snapshot} rows={snapshot.requests.slice(start, end)} height={bodyHeight} />
        ) : (
          <FindingsPane
            snapshot={snapshot}
            height={bodyHeight}
            cursor={Math.min(ui.finding, snapshot.findings.length - 1)}
          />
        )}
        <Text wrap="truncate-end" dimColor>
          {ui.quitting ? <Text color={c('yellow')}>stopping every instance… (q again kills at once) </Text> : null}
          {snapshot.notice ? `${snapshot.notice} · ` : ''}
          {detail
            ? '↑↓ PgUp PgDn scroll · esc close'
            : `↑↓ select · r restart · R all · k kill · s stop/start · +/- scale · L load · c ${ui.paused ? 'resume' : 'pause'} · b balance · tab · / · ? help · q quit`}
        </Text>
      </Box>
    </ColorContext.Provider>
  );
}
