// Starting the formation: every instance in Procfile order, in batches so that a large formation does not
// fork everything at once and signals are read in between. Resolves once each is ready or has crashed, with
// the names of those that crashed; an instance that never got ready is a start-up error (thrown).
import type { UserError } from '../errors.js';
import type { ProcfileEntry } from '../procfile/parse.js';
import type { Instance } from './instance.js';

/** how many instances boot at once at start-up */
const SPAWN_BATCH = 16;

export interface Boot {
  entries: readonly ProcfileEntry[];
  formation: ReadonlyMap<string, number>;
  /** a stop (Ctrl-C, a fatal error) between two spawns starts nothing more */
  stopping(): boolean;
  spawn(type: string, number: number): Promise<Instance>;
  neverReady(instance: Instance): UserError;
}

export async function bootFormation(boot: Boot): Promise<string[]> {
  const started: Instance[] = [];
  for (const entry of boot.entries) {
    const count = boot.formation.get(entry.name) ?? 0;
    for (let n = 1; n <= count && !boot.stopping(); n++) {
      started.push(await boot.spawn(entry.name, n));
      if (started.length % SPAWN_BATCH === 0) await Promise.all(started.slice(-SPAWN_BATCH).map((i) => i.ready));
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const problems: UserError[] = [];
  const crashed: string[] = [];
  await Promise.all(
    started.map(async (instance) => {
      const result = await instance.ready;
      if (result === 'timeout') problems.push(boot.neverReady(instance));
      else if (result === 'exited' && !boot.stopping()) crashed.push(instance.spec.name);
    }),
  );
  if (problems.length > 0) throw problems[0];
  return crashed.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
