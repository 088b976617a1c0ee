// --watch reloaded the Procfile or an env file: the running formation becomes the new one. New types get
// ports and (routed) routers, removed types stop, changed commands restart; a changed env restarts all.
import type { RunConfig } from '../config/load.js';
import { childEnv } from '../env/child-env.js';
import { freeTypePort } from '../env/ports.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Reconciliation } from '../watch/reconcile.js';
import type { RouterPool } from './router-pool.js';

export async function applyReload(
  next: RunConfig,
  plan: Reconciliation,
  envChanged: boolean,
  run: { supervisor: Supervisor; routers: RouterPool; typePorts: Map<string, number> },
): Promise<void> {
  const { supervisor, routers, typePorts } = run;
  for (const { type } of plan.added) {
    const index = next.entries.findIndex((entry) => entry.name === type);
    typePorts.set(type, freeTypePort(next.basePort, index, typePorts));
  }
  supervisor.update(next.entries, childEnv(next, typePorts), next.routed);
  for (const type of plan.removed) {
    await supervisor.removeType(type, 'removed from the Procfile');
    await routers.close(type);
  }
  for (const { type, count } of plan.added) {
    const port = typePorts.get(type) ?? 0;
    if (next.routed.includes(type)) await routers.open(type, port);
    await supervisor.addType(type, count, port);
  }
  const added = plan.added.map((a) => a.type);
  const restart = envChanged ? supervisor.types().filter((t) => !added.includes(t)) : plan.changed;
  if (restart.length > 0) await supervisor.restartTypes(restart, envChanged ? 'env changed' : 'command changed');
}
