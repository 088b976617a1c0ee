import type { RunConfig } from '../config/load.js';
import { portVar, typePortOf } from '../env/ports.js';

export interface ExportType {
  name: string;
  command: string;
  replicas: number;
  routed: boolean;
  /** the type's port: base + 100 * Procfile entry (Foreman's scheme) */
  port: number;
}

export interface ExportPlan {
  app: string;
  root: string;
  image: string;
  user: string;
  stopTimeoutS: number;
  types: ExportType[];
  /** values from the env files, already expanded */
  env: Record<string, string>;
}

// What every export format works from: the formation's types with replicas and ports, and the env.
export function exportPlan(
  config: RunConfig,
  app: string,
  image: string | undefined,
  user: string | undefined,
): ExportPlan {
  return {
    app,
    root: config.root,
    image: image ?? `${app}:latest`,
    user: user ?? app,
    stopTimeoutS: Math.max(1, Math.ceil((config.options.timeout ?? 5000) / 1000)),
    types: config.entries
      .map((entry) => ({
        name: entry.name,
        command: entry.command,
        replicas: config.formation.get(entry.name) ?? 0,
        routed: config.routed.includes(entry.name),
        port: typePortOf(config.basePort, entry.index),
      }))
      .filter((type) => type.replicas > 0),
    env: config.envValues,
  };
}

/** AMNESIA_PORT_<TYPE> for every type, as amnesia sets them when it runs the app */
export const typePortEnv = (plan: ExportPlan): Record<string, string> =>
  Object.fromEntries(plan.types.map((t) => [portVar(t.name), String(t.port)]));

/** a name Kubernetes and compose accept: lowercase letters, digits and dashes */
export const dnsName = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63) || 'app';

/** KEY=value lines for an env file (values quoted when they need it) */
export function envFile(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}=${/^[\w@%+=:,./-]*$/.test(value) ? value : JSON.stringify(value)}`)
    .join('\n')
    .concat(Object.keys(env).length > 0 ? '\n' : '');
}
