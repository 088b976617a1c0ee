import { Box, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { BALANCE_MODES, type BalanceMode } from '../../shared/balance-modes.js';
import { Header } from './Header.js';
import { InstanceTable } from './InstanceTable.js';
import { FindingsPane, HelpPane, LogPane, PANES, PaneTabs, RequestPane, type Pane } from './Panes.js';
import type { TuiStore } from './store.js';

/** what the keys can do: the run's controls, never the supervisor itself */
export interface TuiControls {
  restart(name: string): void;
  rollingRestart(): void;
  killInstance(name: string): void;
  scale(type: string, delta: number): void;
  pauseRestarts(paused: boolean): void;
  setBalance(mode: BalanceMode): void;
  quit(): void;
  kill(): void;
  /** when the next scheduled restart is due (epoch ms) */
}

const FILTERS = ['all', 'instance', 'type'] as const;

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

export function App({
  store,
  controls,
  now: clock = Date.now,
}: {
  store: TuiStore;
  controls: TuiControls;
  now?: () => number;
}) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize();
  const [now, setNow] = useState(clock);
  const [selected, setSelected] = useState(0);
  const [pane, setPane] = useState<Pane>('logs');
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all');
  const [scroll, setScroll] = useState(0);
  const [search, setSearch] = useState('');
  const [typing, setTyping] = useState<string | undefined>(undefined);
  const [help, setHelp] = useState(false);
  const [paused, setPaused] = useState(false);
  const [quitting, setQuitting] = useState(false);

  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), 1000);
    return () => clearInterval(timer);
  }, [clock]);

  const current = snapshot.instances[Math.min(selected, snapshot.instances.length - 1)];
  const bodyHeight = Math.max(3, rows - snapshot.instances.length - 7);

  // ink registers the input handler in an effect, after the frame is drawn: a key typed right after a
  // redraw would reach the previous render's handler and its stale state. The handler goes through a ref
  // that every render points at its own closure.
  const onKey = useRef<Parameters<typeof useInput>[0]>(() => undefined);
  onKey.current = (input, key) => {
    if (typing !== undefined) {
      if (key.return) {
        setSearch(typing);
        setTyping(undefined);
      } else if (key.escape) setTyping(undefined);
      else if (key.backspace || key.delete) setTyping(typing.slice(0, -1));
      else setTyping(typing + input);
      return;
    }
    if (input === 'q' || (key.ctrl && input === 'c')) {
      if (quitting) controls.kill();
      else controls.quit();
      setQuitting(true);
      return;
    }
    if (key.upArrow) setSelected((s) => Math.max(0, s - 1));
    else if (key.downArrow) setSelected((s) => Math.min(snapshot.instances.length - 1, s + 1));
    else if (key.tab) setPane((p) => PANES[(PANES.indexOf(p) + 1) % PANES.length] ?? 'logs');
    else if (key.pageUp) setScroll((s) => s + bodyHeight);
    else if (key.pageDown) setScroll((s) => Math.max(0, s - bodyHeight));
    else if (key.escape) setSearch('');
    else if (input === '?') setHelp((h) => !h);
    else if (input === '/') setTyping('');
    else if (input === 'f') setFilter((f) => FILTERS[(FILTERS.indexOf(f) + 1) % FILTERS.length] ?? 'all');
    else if (input === 'r' && current) controls.restart(current.name);
    else if (input === 'R') controls.rollingRestart();
    else if (input === 'k' && current) controls.killInstance(current.name);
    else if ((input === '+' || input === '=') && current) controls.scale(current.type, 1);
    else if (input === '-' && current) controls.scale(current.type, -1);
    else if (input === 'c') {
      controls.pauseRestarts(!paused);
      setPaused(!paused);
    } else if (input === 'b')
      controls.setBalance(
        BALANCE_MODES[(BALANCE_MODES.indexOf(snapshot.balance as BalanceMode) + 1) % BALANCE_MODES.length] ?? 'random',
      );
  };
  useInput((input, key) => onKey.current(input, key));

  const logs = snapshot.logs.filter(
    (line) =>
      (filter === 'all' ||
        !current ||
        (filter === 'instance' ? line.name === current.name : line.type === current.type)) &&
      (search === '' || line.text.includes(search)),
  );
  const filterText =
    filter === 'all' || !current ? 'all instances' : filter === 'instance' ? current.name : `type ${current.type}`;
  return (
    <Box flexDirection="column" width={columns}>
      <Header snapshot={snapshot} now={now} nextRestartAt={snapshot.nextRestartAt} paused={paused} />
      <InstanceTable snapshot={snapshot} selected={selected} now={now} width={columns} />
      <PaneTabs pane={pane} filter={filterText} search={typing === undefined ? search : `${typing}▏`} />
      {help ? (
        <HelpPane />
      ) : pane === 'logs' ? (
        <LogPane lines={logs} types={snapshot.types} height={bodyHeight} scroll={scroll} />
      ) : pane === 'requests' ? (
        <RequestPane snapshot={snapshot} height={bodyHeight} />
      ) : (
        <FindingsPane snapshot={snapshot} height={bodyHeight} />
      )}
      <Text wrap="truncate-end" dimColor>
        {quitting ? <Text color="yellow">stopping every instance… (q again kills at once) </Text> : null}
        {snapshot.notice ? `${snapshot.notice} · ` : ''}↑↓ select · r restart · R all · k kill · +/- scale · c{' '}
        {paused ? 'resume' : 'pause'} · b balance · tab · / · ? help · q quit
      </Text>
    </Box>
  );
}
