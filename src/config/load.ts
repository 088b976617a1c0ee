import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { loadEnvFiles } from '../env/load-env.js';
import { formatFormation, planFormation, type Formation } from '../env/formation.js';
import { basePort, checkPortPlan } from '../env/ports.js';
import { UserError, UserErrors } from '../errors.js';
import { parseProcfile, type ProcfileEntry } from '../procfile/parse.js';
import { mergeOptions, type OptionSources } from './merge.js';
import { OPTIONS, envName, type CommandName, type Options } from './options.js';

export interface AppConfig {
  options: Partial<Options>;
  /** absolute app root: commands run here */
  root: string;
  procfile: string;
  /** the Procfile's path relative to the working directory, for messages */
  procfileName: string;
  entries: ProcfileEntry[];
  /** values from the env files (already expanded) */
  envValues: Record<string, string>;
  envFiles: string[];
  /** the environment amnesia was started with */
  inherited: Record<string, string | undefined>;
}

export interface RunConfig extends AppConfig {
  formation: Formation;
  routed: string[];
  basePort: number;
}

interface LoadInput {
  command: CommandName;
  flags: OptionSources['flags'];
  env: Record<string, string | undefined>;
  cwd: string;
  /** `run` works without a Procfile */
  procfileOptional?: boolean;
}

// Reads amnesia.json / package.json "amnesia", the Procfile and the env files; throws UserError(s) with file and line.
export function loadAppConfig({ command, flags, env, cwd, procfileOptional = false }: LoadInput): AppConfig {
  const early = (name: 'procfile' | 'root'): string | undefined => {
    const flag = flags[name];
    if (typeof flag === 'string') return flag;
    return env[envName(name)] || undefined;
  };
  const procfileHint = early('procfile');
  const rootHint = early('root');
  const configDir = resolve(cwd, rootHint ?? (procfileHint ? dirname(procfileHint) : '.'));
  const file = readConfigFile(configDir);
  const options = mergeOptions(command, { flags, env, ...(file ? { file } : {}) });
  const base = file && !rootHint && !procfileHint ? configDir : cwd;
  const procfile = resolve(base, options.procfile ?? OPTIONS.procfile.default ?? 'Procfile');
  const root = options.root ? resolve(base, options.root) : dirname(procfile);
  const procfileName = relativeName(procfile, cwd);
  const present = existsSync(procfile);
  if (!present && !procfileOptional) {
    throw new UserError('PROCFILE_MISSING', `Procfile not found: ${procfile}`, {
      where: '--procfile',
      hint: 'create one (a line such as `web: node server.js`), or point to it with -f path/to/Procfile',
    });
  }
  const parsed = present
    ? parseProcfile(readFileSync(procfile, 'utf8'), procfileName)
    : { ok: true as const, entries: [] };
  const loaded = loadEnvFiles(options.env, root, env);
  const errors = [...(parsed.ok ? [] : parsed.errors), ...loaded.errors];
  if (errors.length > 0) throw new UserErrors(errors);
  return {
    options,
    root,
    procfile,
    procfileName,
    entries: parsed.ok ? parsed.entries : [],
    envValues: loaded.values,
    envFiles: loaded.files,
    inherited: env,
  };
}

// Adds the formation, routed types and base port to an app config.
export function planRun(app: AppConfig, only: readonly string[]): RunConfig {
  const names = app.entries.map((entry) => entry.name);
  const routeOption = app.options.route ?? [];
  const explicitRoute = routeOption.join(',') !== (OPTIONS.route.default ?? []).join(',');
  if (explicitRoute) {
    for (const type of routeOption) {
      if (!names.includes(type)) {
        throw new UserError('UNKNOWN_TYPE', `--route names "${type}", which the Procfile does not define`, {
          where: '--route',
          hint: `the Procfile defines: ${names.join(', ')}`,
        });
      }
    }
  }
  if (app.options.restartEvery === 0) {
    throw new UserError('BAD_DURATION', '0 would restart one instance after another without pause', {
      where: '--restart-every',
      hint: 'turn scheduled restarts off with --no-restart, or give a pause such as 30s',
    });
  }
  const routed = routeOption.filter((type) => names.includes(type));
  const formation = planFormation({ entries: app.entries, spec: app.options.formation, only, routed });
  const total = [...formation.values()].reduce((sum, count) => sum + count, 0);
  const cap = app.options.maxInstances ?? OPTIONS.maxInstances.default ?? 64;
  if (total > cap) {
    throw new UserError(
      'FORMATION_TOO_LARGE',
      `the formation ${formatFormation(formation)} has ${total} instances, more than --max-instances ${cap}`,
      {
        where: '--formation',
        hint: `lower the counts, or allow more with --max-instances ${total} (each instance is a process with its own port)`,
      },
    );
  }
  const base = basePort(app.options.port, app.envValues, app.inherited);
  checkPortPlan(app.entries, base, formation, routed);
  return { ...app, formation, routed, basePort: base };
}

function readConfigFile(dir: string): OptionSources['file'] {
  const own = join(dir, 'amnesia.json');
  if (existsSync(own)) return { path: own, values: asObject(parseJson(own), own) };
  const pkg = join(dir, 'package.json');
  if (existsSync(pkg)) {
    const data = parseJson(pkg);
    const section = (data as Record<string, unknown> | null)?.['amnesia'];
    if (section !== undefined) return { path: `${pkg} ("amnesia")`, values: asObject(section, `${pkg} ("amnesia")`) };
  }
  return undefined;
}

function parseJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    throw new UserError('CONFIG_SYNTAX', `invalid JSON: ${(error as Error).message}`, {
      where: line === undefined ? path : `${path}:${line}`,
      hint: 'fix the JSON (double-quoted keys, no trailing commas)',
    });
  }
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError('CONFIG_SYNTAX', 'the configuration must be a JSON object of option names to values', {
      where,
      hint: 'e.g. { "formation": "web=2,worker=1" }',
    });
  }
  return value as Record<string, unknown>;
}

function relativeName(path: string, cwd: string): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
