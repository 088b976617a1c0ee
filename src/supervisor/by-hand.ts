// What the user does to one instance by hand, besides restarting it: stop it and leave it stopped (a routed
// one leaves its router's rotation and finishes its requests first), start it again, and give a
// crash-looping type another chance.
import type { CrashRecovery } from './crash-recovery.js';
import type { Instance } from './instance.js';
import { drain, type ReplacementContext } from './replacement.js';
import { cancelRetry, type Slot, type Slots } from './slots.js';

export interface ByHand {
  slots: Slots;
  recovery: CrashRecovery;
  stopping(): boolean;
  isRouted(type: string): boolean;
  drain(): Pick<ReplacementContext, 'bus' | 'clock' | 'drainHook' | 'drainTimeoutMs'>;
  spawn(slot: Slot): Promise<Instance>;
}

const LIVE: ReadonlySet<string> = new Set(['starting', 'ready', 'draining', 'stopping']);

/** the instance has a process (or is about to) */
export const isLive = (instance: Instance | undefined): boolean => instance !== undefined && LIVE.has(instance.state);

export async function stopByHand(context: ByHand, name: string): Promise<void> {
  const slot = context.slots.get(name);
  const instance = slot?.current;
  if (!slot || !instance || context.stopping() || slot.restarting || !isLive(instance)) return;
  cancelRetry(slot);
  slot.restarting = true;
  try {
    if (context.isRouted(slot.type) && instance.state === 'ready') await drain(context.drain(), instance);
    await instance.stop('stopped by hand');
  } finally {
    slot.restarting = false;
  }
}

/** starts an instance that has no process (stopped by hand, crashed, done); its type's crashes are forgiven */
export async function startByHand(context: ByHand, name: string): Promise<void> {
  const slot = context.slots.get(name);
  if (!slot || context.stopping() || slot.restarting || isLive(slot.current)) return;
  cancelRetry(slot);
  context.recovery.forgive(slot.type);
  await context.spawn(slot);
}

/** a crash-looping type: its crashes forgotten, its crashed instances started again */
export async function reviveType(context: ByHand, type: string): Promise<void> {
  context.recovery.forgive(type);
  const crashed = context.slots.ofType(type).filter((slot) => slot.current?.state === 'crashed');
  await Promise.all(crashed.map((slot) => startByHand(context, slot.name)));
}
