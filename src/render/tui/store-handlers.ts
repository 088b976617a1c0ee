// What each run event does to the TUI's model: one entry per event kind (null: the UI ignores it), so a new
// event kind does not compile until the UI has decided about it.
import type { EventOf, RunEventKind } from '../../events/types.js';
import type { Finding } from '../../shared/finding.js';
import { FORMATTERS, type Line } from '../headless/line-formatters.js';
import type { BaseSnapshot } from './snapshot.js';

export interface StoreModel {
  base: BaseSnapshot;
  output(name: string, type: string, data: Buffer): void;
  /** a dim line of amnesia's own in the logs pane */
  event(name: string, type: string, text: string): void;
  request(event: EventOf<'request:done'>): void;
  finding(finding: Finding): void;
}

export type StoreHandler<E> = (model: StoreModel, event: E) => void;
type Handlers = { [K in RunEventKind]: StoreHandler<EventOf<K>> | null };

const notice = (model: StoreModel, text: string): void => void (model.base = { ...model.base, notice: text });
const status = (model: StoreModel, state: BaseSnapshot['status'], text: string): void =>
  void (model.base = { ...model.base, status: state, statusText: text });

type Lifecycle =
  | 'instance:spawned'
  | 'instance:ready'
  | 'instance:draining'
  | 'instance:exited'
  | 'restart:started'
  | 'restart:finished'
  | 'type:crash-looping';

// The lifecycle of instances, in the logs pane between their output: the headless renderer's words for it.
function lifecycle(m: StoreModel, event: EventOf<Lifecycle>): void {
  const line = (FORMATTERS[event.kind] as (e: EventOf<Lifecycle>) => Line | null)(event);
  if (!line) return;
  const type = 'type' in event ? event.type : (line.type ?? '');
  const name = 'name' in event ? event.name : type;
  for (const text of line.text.split('\n')) m.event(name, type, text);
}

export const STORE_HANDLERS: Handlers = {
  'run:starting': (m, e) => {
    const types = e.formation.map(([type]) => type);
    const { seed, balance, restartEveryMs } = e;
    m.base = { ...m.base, formation: e.formation, types, seed, balance, restartEveryMs };
  },
  'router:listening': (m, e) =>
    void (m.base = { ...m.base, routers: [...m.base.routers, { type: e.type, url: e.url }] }),
  'run:ready': (m, e) => status(m, 'running', `running (started in ${e.startedMs}ms)`),
  'run:stopping': (m, e) => status(m, 'stopping', `stopping: ${e.reason}`),
  'run:stopped': (m) => status(m, 'stopped', 'stopped'),
  'chaos:armed': (m, e) => void (m.base = { ...m.base, nextRestartAt: e.at }),
  // the rows themselves follow these events in InstanceRows (the store hands it every event)
  'instance:spawned': lifecycle,
  'instance:ready': lifecycle,
  'instance:draining': lifecycle,
  'instance:signalled': null,
  'instance:exited': lifecycle,
  'instance:output': (m, e) => m.output(e.name, e.type, e.data),
  'restart:started': lifecycle,
  'restart:finished': (m, e) => {
    lifecycle(m, e);
    notice(m, `${e.name} ${e.ok ? `restarted in ${e.durationMs}ms` : `restart failed: ${e.detail}`}`);
  },
  'request:done': (m, e) => m.request(e),
  'finding:raised': (m, e) => {
    m.finding(e.finding);
    notice(m, `FINDING ${e.finding.kind} on ${e.finding.route}`);
  },
  'watch:changed': (m) => notice(m, 'files changed'),
  'watch:reloaded': (m, e) => notice(m, `reloaded ${e.file}`),
  'watch:invalid': (m, e) => notice(m, `${e.file} is invalid: ${e.errors[0] ?? ''}`),
  'type:crash-looping': (m, e) => {
    lifecycle(m, e);
    notice(m, `${e.type} is crash looping: not restarting it (r on it starts it again)`);
  },
  // shown elsewhere or not at all: the restart's end is what the table shows; smoke output is check's
  'run:signal': null,
  'run:warning': null,
  'smoke:started': null,
  'smoke:output': null,
  'smoke:finished': null,
  'replay:started': null,
  'replay:finished': null,
  'file:written': null,
  'tmp:written': null,
  'ws:message': null,
  'instance:usage': null,
};
