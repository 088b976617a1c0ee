// One formatter per event kind for the headless renderer: a new event kind does not compile until it has one.
import { formatDuration } from '../../config/duration.js';
import type { EventOf, RunEventKind } from '../../events/types.js';
import { SYSTEM_NAME } from './style.js';

type Formatters = { [K in Exclude<RunEventKind, 'instance:output'>]: (event: EventOf<K>) => Line | null };
export type Line = { who: string; type?: string; text: string };

export const sys = (text: string): Line => ({ who: SYSTEM_NAME, text });

const exitText = (code: number | null, signal: string | null, killedAfterMs: number | undefined): string =>
  killedAfterMs !== undefined && signal !== 'SIGKILL'
    ? `killed by SIGKILL: its group outlived SIGTERM by ${formatDuration(killedAfterMs)}`
    : signal
      ? `terminated by ${signal}`
      : `exited with code ${code ?? '?'}`;

const marks = (e: EventOf<'request:done'>): string => {
  const list = [e.afterRestart ? 'after restart' : e.hop ? 'hop' : '', e.retried ? 'retried' : ''].filter(
    (m) => m !== '',
  );
  return list.length > 0 ? ` (${list.join(', ')})` : '';
};

const REPLAY_PHASES = {
  'control A': 'one instance, no restarts',
  'control B': 'a second fresh instance (what differs from the first is noise)',
  shuffled: 'the formation, balanced and restarted',
} as const;

// One formatter per event kind: a new event kind does not compile until it has one.
export const FORMATTERS: Formatters = {
  'run:starting': (e) =>
    sys(
      `starting ${e.formation.map(([t, n]) => `${t}=${n}`).join(',')} from ${e.procfile}${e.envFiles.length > 0 ? ` with ${e.envFiles.join(', ')}` : ''}` +
        ` · seed ${e.seed} (replay with --seed ${e.seed})` +
        (e.routed.length === 0
          ? ''
          : ` · ${e.balance} balancing · ${e.restartEveryMs === undefined ? 'no scheduled restarts' : `a restart about every ${formatDuration(e.restartEveryMs)}`}`),
    ),
  'router:listening': (e) => sys(`${e.type} → ${e.url}`),
  'request:done': (e) =>
    e.instance
      ? {
          who: e.instance.name,
          type: e.type,
          text: `${e.method} ${e.path} → ${e.status} in ${formatDuration(e.durationMs)}${marks(e)}${e.error ? `: ${e.error}` : ''}`,
        }
      : sys(`${e.type}: ${e.method} ${e.path} → ${e.status}: ${e.error ?? ''}`),
  'instance:draining': (e) => ({
    who: e.name,
    type: e.type,
    text: `draining: no new requests${e.inFlight > 0 ? `, ${e.inFlight} in flight` : ''}`,
  }),
  'restart:started': (e) => ({
    who: e.name,
    type: e.type,
    text: `restarting (${e.reason}, ${e.signal})${e.signal === 'SIGKILL' ? ': killed at once, no drain' : ''}`,
  }),
  'finding:raised': (e) =>
    sys(
      [
        `FINDING ${e.finding.kind} on ${e.finding.route} (${e.finding.type}${e.finding.instances.length > 0 ? `: ${e.finding.instances.join(e.finding.instances.length === 2 ? ' → ' : ', ')}` : ''})`,
        ...e.finding.evidence.map((line) => `  ${line}`),
        ...(e.finding.heldBy ? [`  state: ${e.finding.state ?? 'state'} held by ${e.finding.heldBy}`] : []),
        `  hint: ${e.finding.hint}`,
      ].join('\n'),
    ),
  'file:written': () => null,
  'tmp:written': () => null,
  'ws:message': () => null,
  'instance:usage': () => null,
  'watch:changed': (e) =>
    sys(
      `changed: ${e.files.slice(0, 3).join(', ')}${e.files.length > 3 ? ` and ${e.files.length - 3} more` : ''}; restarting ${e.types.join(', ')}`,
    ),
  'watch:reloaded': (e) =>
    sys(
      `reloaded ${e.file}: ${
        [
          e.added.length > 0 ? `started ${e.added.join(', ')}` : '',
          e.removed.length > 0 ? `stopped ${e.removed.join(', ')}` : '',
          e.changed.length > 0 ? `restarting ${e.changed.join(', ')} (command changed)` : '',
          e.envChanged ? 'restarting everything (env changed)' : '',
        ]
          .filter((part) => part !== '')
          .join('; ') || 'nothing to change'
      }`,
    ),
  'watch:invalid': (e) =>
    sys([`${e.file} is invalid; the running formation is kept:`, ...e.errors.map((line) => `  ${line}`)].join('\n')),
  'smoke:started': (e) =>
    sys(
      `smoke command, ${e.phase === 'control' ? 'control run (one instance, no restarts)' : 'shuffled run (the formation, balanced and restarted)'}: ${e.command} with AMNESIA_URL=${e.url}`,
    ),
  'smoke:output': () => null,
  'smoke:finished': (e) =>
    sys(`smoke command (${e.phase}) exited with code ${e.exitCode} after ${formatDuration(e.durationMs)}`),
  'replay:started': (e) =>
    sys(
      `replaying ${e.file}, ${REPLAY_PHASES[e.phase]}: ${e.requests} requests from ${e.clients} client${e.clients === 1 ? '' : 's'} against ${e.url}`,
    ),
  'replay:finished': (e) => sys(`replay (${e.phase}) done after ${formatDuration(e.durationMs)}`),
  'restart:finished': (e) => ({
    who: e.name,
    type: e.type,
    text: e.ok ? `restarted in ${formatDuration(e.durationMs)}, ${e.detail}` : `restart failed: ${e.detail}`,
  }),
  'run:ready': (e) =>
    sys(
      e.crashed.length === 0
        ? `all instances started in ${formatDuration(e.startedMs)}`
        : `started in ${formatDuration(e.startedMs)}, but ${e.crashed.join(', ')} crashed at start-up (restarting with backoff)`,
    ),
  'run:signal': (e) =>
    sys(
      e.action === 'stop'
        ? `${e.signal} received, stopping (Ctrl-C again to kill at once)`
        : e.action === 'kill'
          ? `${e.signal} received again, killing everything`
          : `${e.signal} received, restarting every instance`,
    ),
  'run:stopping': (e) => sys(`stopping all processes (${e.reason})`),
  'run:stopped': () => sys('all processes stopped'),
  'run:warning': (e) => sys(`warning: ${e.message}`),
  // the UI's countdown; a line per scheduled restart would be noise (the restart itself is told)
  'chaos:armed': () => null,
  'instance:spawned': (e) => ({
    who: e.name,
    type: e.type,
    text: `started with pid ${e.pid}${e.port === undefined ? '' : ` (PORT=${e.port})`}${e.replacing ? ', a replacement' : ''}`,
  }),
  'instance:ready': (e) =>
    e.probed ? { who: e.name, type: e.type, text: `ready on port ${e.port} after ${formatDuration(e.bootMs)}` } : null,
  'instance:signalled': (e) => ({
    who: e.name,
    type: e.type,
    text: `sending ${e.signal} to pid ${e.pid} and its group (${e.reason})`,
  }),
  'instance:exited': (e) => {
    const how = exitText(e.code, e.signal, e.killedAfterMs);
    const text =
      e.state === 'done'
        ? `done (${how})`
        : e.state === 'stopped'
          ? how
          : `crashed: ${how}${e.restartInMs === undefined ? '' : `, restarting in ${formatDuration(e.restartInMs)}`}`;
    return { who: e.name, type: e.type, text };
  },
  'type:crash-looping': (e) =>
    sys(
      [
        `${e.type} is crash looping (${e.crashes} crashes within ${formatDuration(e.windowMs)}): not restarting it`,
        ...(e.lastLines.length > 0 ? ['  last output:', ...e.lastLines.map((line) => `    ${line}`)] : []),
      ].join('\n'),
    ),
};
