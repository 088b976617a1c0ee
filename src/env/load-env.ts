import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { UserError } from '../errors.js';
import { parseEnvFile } from './dotenv.js';

export interface LoadedEnv {
  /** merged values of all env files, later files winning */
  values: Record<string, string>;
  /** absolute paths of the files that were read */
  files: string[];
  errors: UserError[];
}

// Reads the env files in order; named files must exist, the default `.env` may be missing.
export function loadEnvFiles(
  names: readonly string[] | undefined,
  root: string,
  inherited: Readonly<Record<string, string | undefined>>,
): LoadedEnv {
  const explicit = names !== undefined && names.length > 0;
  const list = explicit ? names : ['.env'];
  const values: Record<string, string> = {};
  const files: string[] = [];
  const errors: UserError[] = [];
  for (const name of list) {
    const path = resolve(root, name);
    if (!existsSync(path)) {
      if (explicit) {
        errors.push(
          new UserError('ENV_MISSING', `env file not found: ${path}`, {
            where: '--env',
            hint: 'check the path (relative to the app root), or leave --env out to use .env when it exists',
          }),
        );
      }
      continue;
    }
    const result = parseEnvFile(readFileSync(path, 'utf8'), name, values, inherited);
    Object.assign(values, result.values);
    errors.push(...result.errors);
    files.push(path);
  }
  return { values, files, errors };
}
