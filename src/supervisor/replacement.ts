// Restarting one slot. Routed and graceful: the replacement starts and must be ready, then the old instance is
// drained (no new requests, in-flight ones finish, up to the drain timeout) and only then signalled, so the
// restart itself loses no request. SIGKILL is a crash on purpose: no drain, the replacement starts once the
// old instance is gone. Non-routed types stop first, then start again.
import type { EventBus } from '../events/bus.js';
import { within, type Clock } from '../shared/clock.js';
import type { Instance } from './instance.js';
import type { Slot } from './slots.js';

/** how the router takes an instance out of rotation before it is stopped */
export interface DrainHook {
  drain(instance: Instance): Promise<void>;
  inFlight(instance: Instance): number;
}

export interface ReplacementContext {
  bus: EventBus;
  clock: Clock;
  drainTimeoutMs: number;
  drainHook: DrainHook;
  isRouted(type: string): boolean;
  /** the run is ending, or the slot was scaled away: nothing new may start in it */
  cancelled(slot: Slot): boolean;
  spawn(slot: Slot, replacing: boolean, becomeCurrent: boolean): Promise<Instance>;
}

export async function replace(
  context: ReplacementContext,
  slot: Slot,
  reason: string,
  signal: NodeJS.Signals,
): Promise<void> {
  const { bus, clock } = context;
  const started = clock.now();
  const old = slot.current;
  const ref = old?.ref ?? { name: slot.name, type: slot.type, uid: 0 };
  bus.emit({ ...ref, kind: 'restart:started', reason, signal });
  const finish = (ok: boolean, detail: string): void => {
    slot.restarting = false;
    bus.emit({ ...ref, kind: 'restart:finished', ok, durationMs: clock.now() - started, detail });
  };
  try {
    if (context.isRouted(slot.type) && old && old.state === 'ready' && signal !== 'SIGKILL') {
      const replacement = await context.spawn(slot, true, false);
      if ((await replacement.ready) !== 'ready') {
        await replacement.stop('its replacement never got ready');
        finish(false, 'the replacement never got ready; the old instance keeps serving');
        return;
      }
      slot.current = replacement;
      await drain(context, old);
      await old.stop(reason, signal);
      finish(true, `replaced by pid ${replacement.pid}`);
      return;
    }
    if (old) await old.stop(reason, signal);
    if (context.cancelled(slot)) {
      finish(false, 'the run is stopping');
      return;
    }
    const replacement = await context.spawn(slot, false, true);
    finish(true, `replaced by pid ${replacement.pid}`);
  } catch (error) {
    finish(false, (error as Error).message);
  }
}

/** takes an instance out of its router's rotation and waits for its requests in flight (up to the drain timeout) */
export async function drain(
  context: Pick<ReplacementContext, 'bus' | 'clock' | 'drainHook' | 'drainTimeoutMs'>,
  instance: Instance,
): Promise<void> {
  instance.state = 'draining';
  context.bus.emit({ ...instance.ref, kind: 'instance:draining', inFlight: context.drainHook.inFlight(instance) });
  await within(context.clock, context.drainTimeoutMs, context.drainHook.drain(instance));
}
