import { relative } from 'node:path';

import { loadAppConfig, planRun } from '../config/load.js';
import { planPorts } from '../env/ports.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';

// `amnesia validate`: parse everything, print the formation that would run (errors are thrown as UserErrors).
export function validateCommand(argv: ParsedArgv, ctx: CliContext): number {
  const config = planRun(
    loadAppConfig({ command: 'validate', flags: argv.flags, env: ctx.env, cwd: ctx.cwd }),
    argv.positionals,
  );
  const show = (path: string): string => relative(ctx.cwd, path) || path;
  const lines = [`valid Procfile: ${show(config.procfile)} (${config.entries.map((e) => e.name).join(', ')})`];
  lines.push(
    config.envFiles.length > 0
      ? `env files: ${config.envFiles.map(show).join(', ')} (${Object.keys(config.envValues).length} variables)`
      : 'env files: none',
  );
  lines.push(`app root: ${show(config.root)}`);
  const width = Math.max(...config.entries.map((e) => e.name.length));
  for (const entry of config.entries) {
    const count = config.formation.get(entry.name) ?? 0;
    const routed = config.routed.includes(entry.name);
    const ports = planPorts(entry, config.basePort, routed);
    const where =
      count === 0
        ? 'not started'
        : routed
          ? `router on port ${ports.typePort}, instances on free ports`
          : `PORT ${ports.typePort}${count > 1 ? `-${ports.instancePort(count)}` : ''}`;
    lines.push(`  ${entry.name.padEnd(width)}  x${count}  ${where}  $ ${entry.command}`);
  }
  lines.push(`formation: ${[...config.formation].map(([t, n]) => `${t}=${n}`).join(',')}`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
