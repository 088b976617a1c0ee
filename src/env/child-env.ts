import { portVar } from './ports.js';

/** what the environment of every instance is made of */
export interface EnvSources {
  inherited: Readonly<Record<string, string | undefined>>;
  /** the env files, over the inherited environment */
  envValues: Readonly<Record<string, string>>;
}

// The environment every instance starts from: the inherited one, the env files over it, and
// AMNESIA_PORT_<TYPE> for every type, so an instance can find the others (a routed type's is its router).
export function childEnv(sources: EnvSources, typePorts: ReadonlyMap<string, number>): Record<string, string> {
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1' };
  for (const [key, value] of Object.entries(sources.inherited)) if (value !== undefined) env[key] = value;
  Object.assign(env, sources.envValues);
  for (const [type, port] of typePorts) env[portVar(type)] = String(port);
  return env;
}
