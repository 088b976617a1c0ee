import { UserError } from '../errors.js';
import type { ProcfileEntry } from '../procfile/parse.js';

/** instances per process type, in Procfile order */
export type Formation = Map<string, number>;

const DEFAULT_ROUTED = 3;
const DEFAULT_OTHER = 1;

export interface FormationInput {
  entries: readonly ProcfileEntry[];
  /** `-m web=3,worker=2,all=1`, if given */
  spec: string | undefined;
  /** positional TYPE... of `start`: only these run */
  only: readonly string[];
  routed: readonly string[];
}

// Turns `-m`, the positional types and the defaults (3 per routed type, 1 otherwise) into counts per type.
export function planFormation({ entries, spec, only, routed }: FormationInput): Formation {
  const names = entries.map((entry) => entry.name);
  const known = (name: string, where: string): void => {
    if (!names.includes(name)) {
      throw new UserError('UNKNOWN_TYPE', `unknown process type "${name}"`, {
        where,
        hint: `the Procfile defines: ${names.join(', ')}`,
      });
    }
  };
  const listed = new Map<string, number>();
  let all: number | undefined;
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const match = /^([A-Za-z0-9_-]+)\s*=\s*(\d+)$/.exec(part);
    if (!match) {
      throw new UserError('BAD_FORMATION', `cannot read formation entry ${JSON.stringify(part)}`, {
        where: '--formation',
        hint: 'use type=count pairs separated by commas, e.g. web=3,worker=2,all=1 (0 disables a type)',
      });
    }
    const [, name = '', count = '0'] = match;
    if (name === 'all') all = Number(count);
    else {
      known(name, '--formation');
      listed.set(name, Number(count));
    }
  }
  for (const name of only) known(name, 'TYPE');
  const formation: Formation = new Map();
  for (const name of names) {
    const fallback = routed.includes(name) ? DEFAULT_ROUTED : DEFAULT_OTHER;
    const count = listed.get(name) ?? all ?? fallback;
    formation.set(name, only.length > 0 && !only.includes(name) ? 0 : count);
  }
  if ([...formation.values()].every((count) => count === 0)) {
    throw new UserError('EMPTY_FORMATION', 'the formation runs no process', {
      where: '--formation',
      hint: 'give at least one type a count above 0, e.g. -m web=1',
    });
  }
  return formation;
}

export const formatFormation = (formation: Formation): string =>
  [...formation].map(([name, count]) => `${name}=${count}`).join(',');
