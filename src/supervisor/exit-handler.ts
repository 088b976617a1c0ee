// What happens when an instance exits, by what the exit means (exit-classifier.ts): reported, retried after
// backoff, or the end of the run (a command that cannot run, --exit-on-crash, every instance over).
import type { EventBus } from '../events/bus.js';
import type { CrashRecovery } from './crash-recovery.js';
import { classifyExit } from './exit-classifier.js';
import type { Instance } from './instance.js';
import type { ExitInfo } from './instance-types.js';
import type { Slot, Slots } from './slots.js';
import { cannotRun, couldNotStart } from './start-errors.js';
import type { FatalHandler, SupervisorConfig } from './supervisor-config.js';

export interface ExitHandling {
  bus: EventBus;
  recovery: CrashRecovery;
  slots: Slots;
  config: SupervisorConfig;
  stopping(): boolean;
  fatal: FatalHandler;
  respawn(slot: Slot): Promise<Instance>;
}

export function onInstanceExit(context: ExitHandling, slot: Slot, instance: Instance, exit: ExitInfo): void {
  const { bus, config } = context;
  const meaning = classifyExit(exit, {
    routed: config.routed.includes(slot.type),
    stopping: context.stopping(),
    exitOnCrash: config.exitOnCrash,
  });
  const { code, signal, killedAfterMs } = exit;
  const base = { ...instance.ref, kind: 'instance:exited' as const, pid: instance.pid, code, signal, killedAfterMs };
  instance.state = meaning === 'stopped' || meaning === 'done' ? meaning : 'crashed';
  if (meaning !== 'crash') bus.emit({ ...base, state: instance.state, restartInMs: undefined });
  if (meaning === 'stopped') return;
  if (meaning === 'cannot-run') {
    const entry = config.entries.find((e) => e.name === instance.spec.type);
    const error = cannotRun(instance, exit, entry, config.procfileName);
    context.fatal({ kind: 'failed', error }, `${instance.spec.name} cannot run its command`);
    return;
  }
  if (meaning === 'fatal-crash') {
    const outcome = { kind: 'instance-exited', name: instance.spec.name, code, signal } as const;
    context.fatal(outcome, `${instance.spec.name} exited (--exit-on-crash)`);
    return;
  }
  if (meaning === 'crash') {
    const retry = () => {
      if (!context.stopping() && slot.current === instance)
        context
          .respawn(slot)
          .catch((error: unknown) =>
            context.fatal(
              { kind: 'failed', error: couldNotStart(slot.name, error) },
              `${slot.name} could not be started`,
            ),
          );
    };
    context.recovery.crashed(slot, instance, base, retry);
  }
  checkAllEnded(context);
}

// Nothing running and nothing to retry (every instance done or given up on): the run is over.
function checkAllEnded(context: ExitHandling): void {
  const slots = context.slots.all();
  const over = (s: Slot): boolean =>
    s.retry === undefined && (s.current?.state === 'done' || s.current?.state === 'crashed');
  if (context.stopping() || slots.length === 0 || !slots.every(over)) return;
  const failed = slots.some((slot) => slot.current?.state === 'crashed');
  context.fatal(
    { kind: 'ended', crashed: failed },
    failed ? 'every instance has ended, some crashed' : 'every instance has finished',
  );
}
