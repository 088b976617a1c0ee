import type { ProcfileEntry } from '../procfile/parse.js';

export interface Reconciliation {
  /** new types, with the instance count the new formation gives them */
  added: Array<{ type: string; count: number }>;
  removed: string[];
  /** types whose command changed: rolling restart */
  changed: string[];
}

// What a reloaded Procfile changes for the running formation. Types already running keep their instance
// count (the user may have scaled them); new types get the formation's count; a type set to 0 stops.
export function reconcile(
  running: readonly ProcfileEntry[],
  runningTypes: readonly string[],
  next: readonly ProcfileEntry[],
  formation: ReadonlyMap<string, number>,
): Reconciliation {
  const before = new Map(running.map((entry) => [entry.name, entry.command]));
  const after = new Map(next.map((entry) => [entry.name, entry.command]));
  const added = next
    .filter((entry) => !runningTypes.includes(entry.name) && (formation.get(entry.name) ?? 0) > 0)
    .map((entry) => ({ type: entry.name, count: formation.get(entry.name) ?? 0 }));
  const removed = runningTypes.filter((type) => !after.has(type) || (formation.get(type) ?? 0) === 0);
  const changed = runningTypes.filter(
    (type) => after.has(type) && !removed.includes(type) && before.get(type) !== after.get(type),
  );
  return { added, removed, changed };
}
