import { render } from 'ink-testing-library';
import { describe, expect, test, vi } from 'vitest';

import { sampleRequest, sampleStarting } from '../../events/sample-events.js';
import type { RunEvent } from '../../events/types.js';
import { App, type TuiControls } from './App.js';
import { uptime } from './format.js';
import { InstanceTable } from './InstanceTable.js';
import { TuiStore } from './store.js';

const T0 = 1_700_000_000_000;

function fedStore(events: RunEvent[]): TuiStore {
  const store = new TuiStore({ now: () => T0 + 5000, frameMs: 0 });
  events.forEach(store.handle);
  return store;
}

const starting = sampleStarting;
const ready = (name: string, uid: number, port: number): RunEvent[] => {
  const type = name.split('.')[0] ?? '';
  return [
    { kind: 'instance:spawned', name, type, uid, pid: 100 + uid, port, replacing: false },
    { kind: 'instance:ready', name, type, uid, pid: 100 + uid, port, bootMs: 10, probed: type === 'web' },
  ];
};
const request = (n: number, status: number, hop = false): RunEvent =>
  sampleRequest({
    instance: { name: `web.${n}`, type: 'web', uid: n },
    client: 'c',
    path: `/users/${n}`,
    status,
    durationMs: 4,
    hop,
  });
const full: RunEvent[] = [
  starting,
  { kind: 'router:listening', type: 'web', url: 'http://127.0.0.1:5000' },
  ...ready('web.1', 1, 40001),
  ...ready('web.2', 2, 40002),
  ...ready('worker.1', 3, 5100),
  { kind: 'run:ready', startedMs: 300, crashed: [] },
  {
    kind: 'instance:output',
    name: 'web.1',
    type: 'web',
    uid: 1,
    stream: 'stdout',
    data: Buffer.from('listening\nGET /users/1\n'),
  },
  { kind: 'instance:output', name: 'worker.1', type: 'worker', uid: 3, stream: 'stdout', data: Buffer.from('tick\n') },
  request(1, 200),
  request(2, 502, true),
  {
    kind: 'finding:raised',
    finding: {
      kind: 'session-lost',
      type: 'web',
      instances: ['web.1', 'web.2'],
      route: 'GET /profile',
      count: 2,
      evidence: ['x'],
      hint: 'keep sessions in Redis',
    },
  },
];

function controls(): TuiControls & { calls: string[] } {
  const calls: string[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]): void => {
      calls.push([name, ...args.map(String)].join(' '));
    };
  return {
    calls,
    restart: record('restart'),
    rollingRestart: record('rollingRestart'),
    killInstance: record('killInstance'),
    toggleInstance: record('toggleInstance'),
    toggleLoad: record('toggleLoad'),
    reviveType: record('reviveType'),
    scale: record('scale'),
    pauseRestarts: record('pauseRestarts'),
    setBalance: record('setBalance'),
    quit: record('quit'),
    kill: record('kill'),
  };
}

type Rendered = ReturnType<typeof render>;

/** types a key and resolves once the app has drawn again (ink-testing-library keeps every frame) */
async function press(app: Rendered, key: string): Promise<void> {
  const before = app.frames.length;
  app.stdin.write(key);
  await vi.waitFor(() => expect(app.frames.length).toBeGreaterThan(before), { timeout: 5000, interval: 2 });
}

describe('TUI panes on fixed store snapshots', () => {
  test('empty: header, an empty table, an empty log pane', () => {
    const armed = { kind: 'chaos:armed', at: T0 + 17_000 } as const;
    const { lastFrame, unmount } = render(
      <App store={fedStore([starting, armed])} controls={controls()} now={() => T0} />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(/amnesia +starting/);
    expect(frame).toMatch(/web=2 worker=1 · random · seed 42 · next restart in 17s · 0\.0 req\/s/);
    expect(frame).toMatch(/\(no instance yet\)/);
    expect(frame).toMatch(/\(no output yet\)/);
    unmount();
  });

  test('empty requests and findings panes say so', async () => {
    const app = render(<App store={fedStore([starting])} controls={controls()} />);
    const { lastFrame, unmount } = app;
    await press(app, '\t');
    expect(lastFrame()).toMatch(/\(no request yet: try the router URL above\)/);
    await press(app, '\t');
    expect(lastFrame()).toMatch(/no finding so far/);
    unmount();
  });

  test('full: router URL, every instance with pid, port, state and counts, interleaved logs', () => {
    const { lastFrame, unmount } = render(<App store={fedStore(full)} controls={controls()} now={() => T0 + 5000} />);
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(/web → http:\/\/127\.0\.0\.1:5000/);
    expect(frame).toMatch(/web\.1 +101 +40001 +ready +\d+s +0 +1 +0/);
    expect(frame).toMatch(/web\.2 +102 +40002 +ready +\d+s +0 +1 +1/);
    expect(frame).toMatch(/worker\.1 +103 +5100 +ready/);
    expect(frame).toMatch(/web\.1 +│ listening\n.*web\.1 +│ GET \/users\/1\n.*worker\.1 │ tick/);
    expect(frame).toMatch(/FINDING session-lost on GET \/profile/);
    unmount();
  });

  test('requests and findings panes (tab), with hop marks and fix hints', async () => {
    const app = render(<App store={fedStore(full)} controls={controls()} />);
    const { lastFrame, unmount } = app;
    await press(app, '\t');
    expect(lastFrame()).toMatch(/GET +\/users\/1 +web\.1 +200 4ms/);
    expect(lastFrame()).toMatch(/GET +\/users\/2 +web\.2 +502 4ms +hop/);
    await press(app, '\t');
    expect(lastFrame()).toMatch(/session-lost GET \/profile \(web\.1 → web\.2, ×2\)\n.*fix: keep sessions in Redis/);
    unmount();
  });

  test("the requests pane shows paths through the run's redactor (a token in a query string)", async () => {
    const { Redactor } = await import('../../detect/redact.js');
    const redactor = new Redactor({});
    const store = new TuiStore({ now: () => T0 + 5000, frameMs: 0, redact: (text) => redactor.text(text) });
    [
      ...full,
      sampleRequest({
        instance: { name: 'web.1', type: 'web', uid: 1 },
        path: '/export?api_key=sk_live_abcdef123&fmt=csv',
      }),
    ].forEach(store.handle);
    const app = render(<App store={store} controls={controls()} />);
    await press(app, '\t');
    expect(app.lastFrame()).toMatch(/GET +\/export\?api_key=<redacted>/);
    expect(app.lastFrame()).not.toContain('sk_live');
    app.unmount();
  });

  test('narrow: the table drops pid and port to fit 60 columns', () => {
    const { lastFrame, unmount } = render(
      <InstanceTable snapshot={fedStore(full).getSnapshot()} selected={0} now={T0 + 5000} width={60} />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(/^ {2}NAME +STATE +UP +RST +REQ +ERR/);
    expect(frame).toMatch(/^› web\.1 /m);
    expect(frame).not.toMatch(/PID|40001/);
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    unmount();
  });

  test('help (?) lists every key', async () => {
    const app = render(<App store={fedStore(full)} controls={controls()} />);
    const { lastFrame, unmount } = app;
    await press(app, '?');
    for (const key of ['r', 'R', 'k', 's', '\\+ -', 'L', 'c', 'b', 'tab', '/', 'w', 'enter', 'q, Ctrl-C'])
      expect(lastFrame()).toMatch(new RegExp(`^${key} +[a-z]`, 'm'));
    unmount();
  });
});

describe('keys reach the right control', () => {
  test.each([
    ['r', 'restart web.2'],
    ['R', 'rollingRestart'],
    ['k', 'killInstance web.2'],
    ['+', 'scale web 1'],
    ['-', 'scale web -1'],
    ['L', 'toggleLoad web'],
    ['c', 'pauseRestarts true'],
    ['b', 'setBalance round-robin'],
    ['q', 'quit'],
  ])('%s → %s (with web.2 selected)', async (key, call) => {
    const c = controls();
    const app = render(<App store={fedStore(full)} controls={c} />);
    const { unmount } = app;
    app.stdin.write('\u001b[B');
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/^› web\.2 /m));
    app.stdin.write(key);
    await vi.waitFor(() => expect(c.calls).toEqual([call]));
    unmount();
  });

  test('q twice kills at once; the screen says it is stopping', async () => {
    const c = controls();
    const app = render(<App store={fedStore(full)} controls={c} />);
    const { lastFrame, unmount } = app;
    await press(app, 'q');
    expect(lastFrame()).toMatch(/stopping every instance… \(q again kills at once\)/);
    app.stdin.write('q');
    await vi.waitFor(() => expect(c.calls).toEqual(['quit', 'kill']));
    unmount();
  });

  test('/ searches the logs; f filters them to the selected instance', async () => {
    const app = render(<App store={fedStore(full)} controls={controls()} />);
    const { lastFrame, unmount } = app;
    await press(app, '/');
    await press(app, 'tick');
    await press(app, '\r');
    expect(lastFrame()).toMatch(/worker\.1 │ tick/);
    expect(lastFrame()).not.toMatch(/│ listening/);
    await press(app, '\u001b');
    await press(app, 'f');
    expect(lastFrame()).toMatch(/logs: web\.1/);
    expect(lastFrame()).not.toMatch(/│ tick/);
    unmount();
  });
});

describe('TuiStore', () => {
  test('output is bounded: a flood keeps only the last 1,000 lines', () => {
    const store = new TuiStore({ frameMs: 0 });
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    for (let i = 0; i < 5; i++)
      store.handle({
        kind: 'instance:output',
        name: 'web.1',
        type: 'web',
        uid: 1,
        stream: 'stdout',
        data: Buffer.from(`${lines}\n`),
      });
    const logs = store.getSnapshot().logs;
    expect(logs).toHaveLength(1000);
    expect(logs.at(-1)?.text).toBe('line 4999');
  });

  test('a flood stretches frames to 100 ms and pauses the output beyond the frame budget', () => {
    vi.useFakeTimers();
    const paused: boolean[] = [];
    const store = new TuiStore({ frameMs: 33, throttle: (p) => paused.push(p) });
    const listener = vi.fn();
    store.subscribe(listener);
    const output = (bytes: number): void =>
      store.handle({
        kind: 'instance:output',
        name: 'web.1',
        type: 'web',
        uid: 1,
        stream: 'stdout',
        data: Buffer.alloc(bytes, 'x\n'),
      });
    output(300 * 1024);
    expect(paused).toEqual([true]);
    vi.advanceTimersByTime(33);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(paused).toEqual([true, false]);
    output(300 * 1024);
    expect(paused).toEqual([true, false]);
    vi.advanceTimersByTime(99);
    expect(listener).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(listener).toHaveBeenCalledTimes(2);
    // the frame after a flooded one is still a long one; once output is back to normal, so are frames
    output(1000);
    vi.advanceTimersByTime(100);
    expect(listener).toHaveBeenCalledTimes(3);
    output(1000);
    vi.advanceTimersByTime(33);
    expect(listener).toHaveBeenCalledTimes(4);
    vi.useRealTimers();
  });

  test('a usage sample is drawn only when a figure on screen changes', () => {
    vi.useFakeTimers();
    const store = fedStore(ready('web.1', 1, 40001));
    const listener = vi.fn();
    store.subscribe(listener);
    const usage = (cpu: number, rss: number): RunEvent => ({
      kind: 'instance:usage',
      samples: [{ name: 'web.1', type: 'web', uid: 1, cpu, rss }],
    });
    store.handle(usage(0.01, 45 * 1024 * 1024));
    vi.advanceTimersByTime(10);
    expect(listener).toHaveBeenCalledTimes(1);
    // 0.0% and 45M again: nothing to redraw
    store.handle(usage(0.02, 45.3 * 1024 * 1024));
    vi.advanceTimersByTime(10);
    expect(listener).toHaveBeenCalledTimes(1);
    store.handle(usage(12, 45.3 * 1024 * 1024));
    vi.advanceTimersByTime(10);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot().instances[0]).toMatchObject({ cpu: 12 });
    vi.useRealTimers();
  });

  test('uptime: seconds in the first minute only, so an idle screen changes once a minute', () => {
    expect([5_000, 59_000, 61_000, 3_599_000, 3_660_000, 90_000_000].map(uptime)).toEqual([
      '5s',
      '59s',
      '1m',
      '59m',
      '1h01m',
      '1d01h',
    ]);
  });

  test('listeners hear about changes at most once per frame; requests (under load, every one is a change) at most 10 times a second', () => {
    vi.useFakeTimers();
    const store = new TuiStore({ frameMs: 33 });
    const listener = vi.fn();
    store.subscribe(listener);
    for (let i = 0; i < 100; i++) store.handle(request(1, 200));
    vi.advanceTimersByTime(40);
    expect(listener).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(60);
    expect(listener).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) store.handle(output('web.1', `line ${i}\n`));
    vi.advanceTimersByTime(33);
    expect(listener).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});

const output = (name: string, text: string): RunEvent => ({
  kind: 'instance:output',
  name,
  type: name.split('.')[0] ?? '',
  uid: 1,
  stream: 'stdout',
  data: Buffer.from(text),
});

describe('input as a terminal sends it: several keys in one write', () => {
  test('"rr" restarts twice; "\\t\\t" opens the findings pane', async () => {
    const c = controls();
    const app = render(<App store={fedStore(full)} controls={c} />);
    app.stdin.write('rr');
    await vi.waitFor(() => expect(c.calls).toEqual(['restart web.1', 'restart web.1']));
    await press(app, '\t\t');
    expect(app.lastFrame()).toMatch(/› session-lost GET \/profile/);
    app.unmount();
  });

  test('a pasted search with its Enter applies the search (any case); nothing restarts', async () => {
    const c = controls();
    const app = render(<App store={fedStore(full)} controls={c} />);
    await press(app, '/TICK\r');
    expect(app.lastFrame()).toMatch(/logs: all instances · \/TICK/);
    expect(app.lastFrame()).toMatch(/worker\.1 │ tick/);
    expect(app.lastFrame()).not.toMatch(/│ listening/);
    expect(c.calls).toEqual([]);
    app.unmount();
  });
});

describe('the logs pane', () => {
  test('a scrolled view stays on its lines while output arrives, and says how far behind it is', async () => {
    const store = fedStore([
      ...full,
      output('web.1', `${Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n')}\n`),
    ]);
    const app = render(<App store={store} controls={controls()} />);
    await press(app, '\u001b[5~');
    const pinned = /web\.1 +│ line (\d+)\n/.exec(app.lastFrame() ?? '')?.[1];
    expect(app.lastFrame()).toMatch(/↑15 · End to follow/);
    store.handle(output('web.1', 'new 1\nnew 2\nnew 3\n'));
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/↑18 · End to follow/));
    expect(/web\.1 +│ line (\d+)\n/.exec(app.lastFrame() ?? '')?.[1]).toBe(pinned);
    await press(app, '\u001b[F');
    expect(app.lastFrame()).toMatch(/web\.1 +│ new 3\n/);
    expect(app.lastFrame()).not.toMatch(/End to follow/);
    app.unmount();
  });

  test("instances' lifecycle is told in the pane; a line with \\r shows what a terminal shows", async () => {
    const store = fedStore([
      ...full,
      output('web.1', 'progress 10%\rprogress 100%\r\n'),
      {
        kind: 'instance:exited',
        name: 'worker.1',
        type: 'worker',
        uid: 3,
        pid: 103,
        code: 1,
        signal: null,
        state: 'crashed',
        restartInMs: 2000,
        killedAfterMs: undefined,
      },
    ]);
    const app = render(<App store={store} controls={controls()} />);
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/web\.1 +│ started with pid 101 \(PORT=40001\)\n.*web\.1 +│ ready on port 40001/);
    expect(frame).toMatch(/web\.1 +│ progress 100%\n/);
    expect(frame).toMatch(/worker\.1 │ crashed: exited with code 1, restarting in 2s/);
    app.unmount();
  });
});

test('Enter on a finding shows its evidence, the full fix and the replay command; Esc goes back', async () => {
  const app = render(<App store={fedStore(full)} controls={controls()} replay="amnesia start --seed 42" />);
  await press(app, '\t\t');
  await press(app, '\r');
  const frame = app.lastFrame() ?? '';
  expect(frame).toMatch(/finding 1 of 1/);
  expect(frame).toMatch(/session-lost {2}GET \/profile {2}\(web: web\.1 → web\.2; seen 2 times\)/);
  expect(frame).toMatch(/^ {2}x$/m);
  expect(frame).toMatch(/fix: keep sessions in Redis/);
  expect(frame).toMatch(/replay: amnesia start --seed 42/);
  await press(app, '\u001b');
  expect(app.lastFrame()).not.toMatch(/finding 1 of 1/);
  expect(app.lastFrame()).toMatch(/› session-lost/);
  app.unmount();
});
