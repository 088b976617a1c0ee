import { UserError } from '../errors.js';
import type { ProcfileEntry } from '../procfile/parse.js';

const MAX_PORT = 65535;
/** Foreman's scheme: each Procfile entry owns a block of this many ports */
const PORT_STEP = 100;

/** the port of the type on Procfile entry `index`: base + 100 * index */
export function typePortOf(base: number, index: number): number {
  return base + PORT_STEP * index;
}

const varSuffix = (type: string): string => type.toUpperCase().replace(/[^A-Z0-9]/g, '_');
/** AMNESIA_PORT_<TYPE>: where an instance finds another type (a routed type's router) */
export const portVar = (type: string): string => `AMNESIA_PORT_${varSuffix(type)}`;
/** AMNESIA_URL_<TYPE>: a routed type's router, for the smoke command */
export const urlVar = (type: string): string => `AMNESIA_URL_${varSuffix(type)}`;

// A type added while running owns its entry's port, unless a running type already has it.
export function freeTypePort(base: number, index: number, taken: ReadonlyMap<string, number>): number {
  const used = new Set(taken.values());
  let port = typePortOf(base, Math.max(0, index));
  while (used.has(port)) port += PORT_STEP;
  return port;
}

export interface TypePorts {
  /** the type's own port, B + 100 * index: its router listens here when the type is routed */
  typePort: number;
  /** fixed ports for a non-routed type's instances (B + 100 * index + N - 1); routed instances get free ports */
  instancePort: (instance: number) => number | undefined;
}

// Foreman's port scheme: the type on Procfile entry i owns base + 100 * i.
export function planPorts(entry: ProcfileEntry, base: number, routed: boolean): TypePorts {
  const typePort = typePortOf(base, entry.index);
  return {
    typePort,
    instancePort: (instance) => (routed ? undefined : typePort + instance - 1),
  };
}

// Base port: --port, else PORT from env files, else the inherited PORT, else 5000.
export function basePort(
  flag: number | undefined,
  envFiles: Readonly<Record<string, string>>,
  inherited: Readonly<Record<string, string | undefined>>,
): number {
  if (flag !== undefined) return flag;
  for (const value of [envFiles['PORT'], inherited['PORT']]) {
    const port = Number(value);
    if (value !== undefined && value !== '' && Number.isInteger(port) && port > 0 && port < 65536) return port;
  }
  return 5000;
}

// Every port the plan hands out must exist: the type on entry i owns base + 100 * i, a non-routed type's
// instances take the ports after it. Checked before anything starts, not found by a crash-looping child.
export function checkPortPlan(
  entries: readonly ProcfileEntry[],
  base: number,
  formation: ReadonlyMap<string, number>,
  routed: readonly string[],
): void {
  for (const entry of entries) {
    const count = formation.get(entry.name) ?? 0;
    if (count === 0) continue;
    const plan = planPorts(entry, base, routed.includes(entry.name));
    const highest = plan.instancePort(count) ?? plan.typePort;
    if (highest > MAX_PORT) {
      throw new UserError('PORT_RANGE', `${entry.name} would get port ${highest}, past ${MAX_PORT}`, {
        where: `--port ${base}`,
        hint: `the type on Procfile entry ${entry.index + 1} owns base + ${typePortOf(0, entry.index)}${routed.includes(entry.name) ? '' : ` and its instances the ports after it`}: choose a base port of at most ${MAX_PORT - (highest - base)}`,
      });
    }
  }
}
