import type { Run } from '../shared/run-handle.js';

/** a warning shown once the run starts, where the renderers see it */
export function warnOnStart(run: Run, message: string): void {
  const unsubscribe = run.events.subscribe((event) => {
    if (event.kind !== 'run:starting') return;
    unsubscribe();
    // after every listener has seen run:starting (the renderers subscribe after this one)
    queueMicrotask(() => run.events.emit({ kind: 'run:warning', message }));
  });
}
