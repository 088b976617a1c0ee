import type { RunConfig } from '../config/load.js';

// The environment every instance starts from: the inherited one, the env files over it, and
// AMNESIA_PORT_<TYPE> for every type, so an instance can find the others (a routed type's is its router).
export function childEnv(config: RunConfig, typePorts: ReadonlyMap<string, number>): Record<string, string> {
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1' };
  for (const [key, value] of Object.entries(config.inherited)) if (value !== undefined) env[key] = value;
  Object.assign(env, config.envValues);
  for (const [type, port] of typePorts)
    env[`AMNESIA_PORT_${type.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(port);
  return env;
}

// A type added while running owns base + 100 * its entry, unless a running type already has that port.
export function freeTypePort(config: RunConfig, type: string, taken: ReadonlyMap<string, number>): number {
  const index = config.entries.findIndex((entry) => entry.name === type);
  const used = new Set(taken.values());
  let port = config.basePort + 100 * Math.max(0, index);
  while (used.has(port)) port += 100;
  return port;
}
