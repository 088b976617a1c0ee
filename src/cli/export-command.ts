import { basename, join, relative, resolve } from 'node:path';

import { loadAppConfig, planRun } from '../config/load.js';
import { suggest } from '../config/suggest.js';
import { UserError } from '../errors.js';
import { composeFiles } from '../export/compose.js';
import { kubernetesFiles } from '../export/kubernetes.js';
import { dnsName, exportPlan, type ExportPlan } from '../export/plan.js';
import { systemdFiles } from '../export/systemd.js';
import { writeExport } from '../export/write-files.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';

const FORMATS: Record<string, (plan: ExportPlan) => Map<string, string>> = {
  systemd: systemdFiles,
  compose: composeFiles,
  kubernetes: kubernetesFiles,
};

// `amnesia export FORMAT DIR`: the formation as deployment files, for when one machine is not enough.
export function exportCommand(argv: ParsedArgv, ctx: CliContext): number {
  const [format, dir, ...extra] = argv.positionals;
  if (format === undefined || !Object.hasOwn(FORMATS, format)) {
    const close = format === undefined ? undefined : suggest(format, Object.keys(FORMATS));
    throw new UserError(
      'EXPORT_FORMAT',
      format === undefined ? 'export needs a format and a folder' : `unknown export format "${format}"`,
      {
        where: 'amnesia export',
        hint: close ? `did you mean ${close}?` : `write amnesia export ${Object.keys(FORMATS).join('|')} DIR`,
      },
    );
  }
  if (dir === undefined || extra.length > 0) {
    throw new UserError(
      'EXPORT_DIR',
      dir === undefined ? 'export needs the folder to write to' : `unexpected arguments: ${extra.join(' ')}`,
      {
        where: 'amnesia export',
        hint: `write amnesia export ${format} DIR (e.g. deploy/${format})`,
      },
    );
  }
  const config = planRun(loadAppConfig({ command: 'export', flags: argv.flags, env: ctx.env, cwd: ctx.cwd }), []);
  const app = dnsName(config.options.app ?? basename(config.root));
  const files = (FORMATS[format] ?? systemdFiles)(exportPlan(config, app, config.options.image, config.options.user));
  const target = resolve(ctx.cwd, dir);
  const near = relative(ctx.cwd, target);
  const shown = near === '' ? '.' : near.startsWith('..') ? target : near;
  const mode = (name: string): number => (name.endsWith('.env') || name === 'secret.yaml' ? 0o600 : 0o644);
  try {
    writeExport(target, files, mode, config.options.force ?? false, shown);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('EXPORT_WRITE', `cannot write to ${target}: ${(error as Error).message}`, {
      where: dir,
      hint: 'choose a folder you can write to',
    });
  }
  ctx.stdout.write(
    `wrote ${files.size} files to ${shown}: ${[...files.keys()].join(', ')}\nread ${join(shown, 'README.md')} for what you still have to provide\n`,
  );
  return 0;
}
