// `amnesia ps | restart | stop | scale | logs`: ask the `amnesia start` running in this app root, over its
// control socket (src/control), and print its answer. Exit 0 when it is done, 2 for a wrong name or when
// nothing runs there, 1 when what was asked failed.
import { loadAppConfig } from '../config/load.js';
import type { ControlCommand } from '../config/option-types.js';
import { requestRun } from '../control/client.js';
import type { ControlReply, ControlRequest, ProcessTable } from '../control/protocol.js';
import { UserError } from '../errors.js';
import { shownState } from '../events/instance-rows.js';
import { paint, SYSTEM_NAME, typeColor } from '../render/headless/style.js';
import { cellsOf, headOf, TIERS } from '../render/tui/columns.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { formatError } from './print-error.js';

function requestOf(command: ControlCommand, argv: ParsedArgv): ControlRequest {
  const names = argv.positionals;
  switch (command) {
    case 'ps':
      if (names.length > 0) throw extra(command, names);
      return { command };
    case 'restart':
      return { command, names };
    case 'stop':
      if (names.length === 0) {
        throw new UserError('MISSING_ARGUMENT', 'stop needs the instances or types to stop', {
          where: 'NAME',
          hint: 'e.g. amnesia stop web.2 (to end the whole run, press q or Ctrl-C where it runs)',
        });
      }
      return { command, names };
    case 'scale':
      if (names.length === 0) throw badScale(undefined);
      return { command, formation: names.map(scaleArgument) };
    case 'logs': {
      const lines = argv.flags.lines === undefined ? undefined : Number(argv.flags.lines);
      if (lines !== undefined && !(Number.isInteger(lines) && lines >= 0)) {
        throw new UserError('BAD_OPTION', `"${String(argv.flags.lines)}" is not a number of lines`, {
          where: '--lines',
          hint: 'e.g. -n 50',
        });
      }
      return { command, names, follow: argv.flags.follow === true, lines };
    }
  }
}

const extra = (command: string, names: readonly string[]): UserError =>
  new UserError('UNEXPECTED_ARGUMENTS', `${command} takes no names: ${names.join(' ')}`, {
    hint: `amnesia ${command} lists every instance`,
  });

const badScale = (word: string | undefined): UserError =>
  new UserError('BAD_SCALE', word === undefined ? 'scale needs TYPE=N' : `"${word}" is not TYPE=N`, {
    where: 'TYPE=N',
    hint: 'e.g. amnesia scale web=4 worker=0',
  });

function scaleArgument(word: string): [string, number] {
  const match = /^([A-Za-z0-9_-]+)=(\d+)$/.exec(word);
  if (!match?.[1] || match[2] === undefined) throw badScale(word);
  return [match[1], Number(match[2])];
}

// `amnesia ps`: a row per instance, with the columns the UI's table shows on its widest terminal.
function psText(table: ProcessTable): string {
  const columns = TIERS.full;
  const context = { now: table.now, looping: table.looping, traffic: table.traffic };
  const line = (cells: string[]): string => `${cells.join('').trimEnd()}\n`;
  return [headOf(columns), ...table.rows.map((row) => cellsOf(columns, row, context))].map(line).join('');
}

function psJson(table: ProcessTable): string {
  const rows = table.rows.map((row) => {
    const { uid: _uid, startedAt, ...shown } = row;
    const live = row.state === 'ready' || row.state === 'draining';
    // null rather than left out: every row has every key
    const traffic = table.traffic[row.name];
    return {
      ...{ ...shown, port: row.port ?? null, state: shownState(row, table.looping) },
      ...{ uptimeMs: live ? table.now - startedAt : null, cpu: row.cpu ?? null, rss: row.rss ?? null },
      ...{ rps: traffic?.rps ?? 0, p50Ms: traffic?.p50 ?? null, p99Ms: traffic?.p99 ?? null },
    };
  });
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export async function controlCommand(command: ControlCommand, argv: ParsedArgv, ctx: CliContext): Promise<number> {
  const request = requestOf(command, argv);
  const { root } = loadAppConfig({ command, flags: argv.flags, env: ctx.env, cwd: ctx.cwd, procfileOptional: true });
  const color = argv.flags.color === undefined ? ctx.colorByDefault : argv.flags.color === true;
  const prefix = argv.flags.prefix !== false;
  let code: number | undefined;
  let types: string[] = [];
  let width = SYSTEM_NAME.length;
  await requestRun(root, request, (reply: ControlReply) => {
    switch (reply.kind) {
      case 'table':
        types = reply.table.types;
        width = Math.max(width, ...reply.table.rows.map((row) => row.name.length));
        if (command === 'ps') ctx.stdout.write(argv.flags.json === true ? psJson(reply.table) : psText(reply.table));
        code = EXIT.ok;
        return;
      case 'log': {
        const { name, type, text } = reply.record;
        const label = `${name.padEnd(width)} | `;
        const painted = !color
          ? label
          : paint(type === undefined ? 1 : typeColor(Math.max(0, types.indexOf(type))), label);
        ctx.stdout.write(`${prefix ? painted : ''}${text}\n`);
        code = EXIT.ok;
        return;
      }
      case 'done':
        ctx.stdout.write(`${reply.message}\n`);
        code = EXIT.ok;
        return;
      case 'error':
        ctx.stderr.write(
          formatError(
            new UserError('CONTROL', reply.message, reply.hint ? { hint: reply.hint } : {}),
            ctx.colorByDefault,
          ),
        );
        code = reply.usage ? EXIT.usage : EXIT.failed;
    }
  });
  if (code === undefined) {
    ctx.stderr.write(
      formatError(new UserError('CONTROL_LOST', `the run in ${root} ended before it answered`), ctx.colorByDefault),
    );
    return EXIT.failed;
  }
  return code;
}
