// --watch reloaded the Procfile or an env file: the running formation becomes the new one. New types get
// ports and (routed) routers, removed types stop, changed commands restart; a changed env restarts all.
import type { RunConfig } from '../config/load.js';
import type { EventBus } from '../events/bus.js';
import type { Clock } from '../shared/clock.js';
import { DevLoop } from '../watch/dev-loop.js';
import { childEnv } from '../env/child-env.js';
import { freeTypePort } from '../env/ports.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Reconciliation } from '../watch/reconcile.js';
import type { RouterPool } from './router-pool.js';

interface Reloadable {
  supervisor: Supervisor;
  routers: RouterPool;
  typePorts: Map<string, number>;
}

// --watch: the dev loop restarts the types whose files changed, and applies a reloaded Procfile or env file.
export function watchLoop(
  config: RunConfig,
  reload: () => RunConfig,
  run: Reloadable,
  bus: EventBus,
  clock: Clock,
): DevLoop {
  let current = config;
  const { supervisor } = run;
  return new DevLoop(
    {
      config: () => current,
      types: () => supervisor.types(),
      restartTypes: (types, reason) => supervisor.restartTypes(types, reason),
      apply: async (next, plan, envChanged) => {
        await applyReload(next, plan, envChanged, run);
        current = next;
      },
    },
    reload,
    bus,
    { clock },
  );
}

async function applyReload(next: RunConfig, plan: Reconciliation, envChanged: boolean, run: Reloadable): Promise<void> {
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
