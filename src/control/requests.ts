// What each control request does: names are checked against the run's instances and types first (an
// unknown one is a usage error with a suggestion, and nothing happens), then the run's controls act, and
// the reply comes once they are done: `amnesia restart web` returns when the last replacement serves.
import type { Socket } from 'node:net';

import { suggest } from '../config/suggest.js';
import type { InstanceRow } from '../events/instance-rows.js';
import { SYSTEM_NAME } from '../render/headless/style.js';
import type { ControlContext } from './server.js';
import type { ControlReply, ControlRequest, LogRecord } from './protocol.js';

type Reply = (message: ControlReply) => boolean;

/** a follower that falls this far behind (bytes queued on its socket) loses lines, and is told how many */
const FOLLOW_BACKLOG = 1 << 20;

type Target = { kind: 'instance'; row: InstanceRow } | { kind: 'type'; type: string; rows: InstanceRow[] };

function usage(message: string, hint?: string): ControlReply {
  return { kind: 'error', message, hint, usage: true };
}

// Each name as an instance (`web.1`) or a type (`web`); a reply for the first one that is neither.
function resolve(names: readonly string[], context: ControlContext): Target[] | ControlReply {
  const { rows, types } = context.table();
  const targets: Target[] = [];
  for (const name of names) {
    const row = rows.find((r) => r.name === name);
    if (row) {
      targets.push({ kind: 'instance', row });
      continue;
    }
    if (types.includes(name) || rows.some((r) => r.type === name)) {
      targets.push({ kind: 'type', type: name, rows: rows.filter((r) => r.type === name) });
      continue;
    }
    const close = suggest(name, [...types, ...rows.map((r) => r.name)]);
    const all = rows.map((r) => r.name).join(', ');
    return usage(`no instance or type named "${name}"`, close ? `did you mean ${close}?` : `instances: ${all}`);
  }
  return targets;
}

const NOT_RUNNING: ReadonlySet<string> = new Set(['stopped', 'crashed', 'done']);

async function restart(targets: Target[], context: ControlContext): Promise<string[]> {
  const { controls } = context.run;
  const { looping } = context.table();
  const done: string[] = [];
  for (const target of targets) {
    if (target.kind === 'type') {
      await (looping.includes(target.type) ? controls.reviveType(target.type) : controls.restartType(target.type));
      done.push(target.type);
    } else {
      const { name, state } = target.row;
      await (NOT_RUNNING.has(state) ? controls.startInstance(name) : controls.restart(name));
      done.push(name);
    }
  }
  return done;
}

async function stop(targets: Target[], context: ControlContext): Promise<string[]> {
  const rows = targets.flatMap((target) => (target.kind === 'type' ? target.rows : [target.row]));
  const running = rows.filter((row) => !NOT_RUNNING.has(row.state));
  await Promise.all(running.map((row) => context.run.controls.stopInstance(row.name)));
  return running.map((row) => row.name);
}

function logs(
  request: Extract<ControlRequest, { command: 'logs' }>,
  targets: Target[],
  context: ControlContext,
  reply: Reply,
  socket: Socket,
): boolean {
  const wanted = (record: LogRecord): boolean =>
    targets.length === 0 ||
    targets.some((t) => (t.kind === 'type' ? record.type === t.type : record.name === t.row.name));
  reply({ kind: 'table', table: context.table() });
  const recent = context.logs.recent().filter(wanted);
  for (const record of request.lines === undefined ? recent : recent.slice(-request.lines))
    reply({ kind: 'log', record });
  if (!request.follow) return false;
  let dropped = 0;
  const stop = context.logs.follow((record) => {
    if (!wanted(record)) return;
    if (socket.writableLength > FOLLOW_BACKLOG) {
      dropped++;
      return;
    }
    if (dropped > 0) {
      reply({
        kind: 'log',
        record: {
          name: SYSTEM_NAME,
          type: undefined,
          text: `(${dropped} lines skipped: this reader fell behind)`,
          event: true,
        },
      });
      dropped = 0;
    }
    reply({ kind: 'log', record });
  });
  socket.once('close', stop);
  return true;
}

/** answers one request; resolves true when the connection stays open (logs -f) */
export async function handleRequest(
  request: ControlRequest,
  context: ControlContext,
  reply: Reply,
  socket: Socket,
): Promise<boolean> {
  const { controls } = context.run;
  const answer = (message: ControlReply): false => {
    reply(message);
    return false;
  };
  switch (request.command) {
    case 'ps':
      return answer({ kind: 'table', table: context.table() });
    case 'restart': {
      if (request.names.length === 0) {
        await controls.rollingRestart();
        return answer({ kind: 'done', message: 'restarted every instance, one at a time' });
      }
      const targets = resolve(request.names, context);
      if (!Array.isArray(targets)) return answer(targets);
      return answer({ kind: 'done', message: `restarted ${(await restart(targets, context)).join(', ')}` });
    }
    case 'stop': {
      const targets = resolve(request.names, context);
      if (!Array.isArray(targets)) return answer(targets);
      const stopped = await stop(targets, context);
      return answer({
        kind: 'done',
        message: stopped.length > 0 ? `stopped ${stopped.join(', ')}` : `not running: ${request.names.join(', ')}`,
      });
    }
    case 'scale': {
      const targets = resolve(
        request.formation.map(([type]) => type),
        context,
      );
      if (!Array.isArray(targets)) return answer(targets);
      for (const target of targets) {
        if (target.kind === 'instance') {
          const { name, type } = target.row;
          return answer(usage(`scale takes a type, not an instance: ${name}`, `amnesia scale ${type}=N`));
        }
        if (target.rows.length === 0) {
          const hint = `start amnesia with it: amnesia start -m ${target.type}=N`;
          return answer(usage(`${target.type} was not started in this run`, hint));
        }
      }
      for (const [type, count] of request.formation) await controls.scaleTo(type, count);
      return answer({
        kind: 'done',
        message: `scaled ${request.formation.map(([type, count]) => `${type}=${count}`).join(',')}`,
      });
    }
    case 'logs': {
      const targets = resolve(request.names, context);
      if (!Array.isArray(targets)) return answer(targets);
      return logs(request, targets, context, reply, socket);
    }
    default:
      return answer(usage(`unknown request: ${JSON.stringify(request)}`));
  }
}
