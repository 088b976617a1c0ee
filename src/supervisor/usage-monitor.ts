// Samples every live instance's process group about once a second and emits `instance:usage`: CPU as a
// percent of one core since the previous sample (the first sample of a process has memory only), and
// resident memory. Runs only when asked for (the UI, the control socket), since it reads the process table.
import type { EventBus } from '../events/bus.js';
import type { InstanceRef } from '../events/types.js';
import type { Clock, Timer } from '../shared/clock.js';
import type { ProcessControl } from './process-control.js';

export interface UsageDeps {
  control: Pick<ProcessControl, 'groupUsage'>;
  clock: Clock;
  bus: EventBus;
  /** the live instances: who they are and their process group ids */
  instances: () => Array<{ ref: InstanceRef; pid: number }>;
}

export class UsageMonitor {
  readonly #deps: UsageDeps;
  readonly #everyMs: number | undefined;
  /** per process (uid): its CPU time and when it was read */
  #last = new Map<number, { cpuMs: number; at: number }>();
  #timer: Timer | undefined;
  #running = false;

  /** `usageEveryMs` undefined: never samples */
  constructor(deps: UsageDeps, options: { usageEveryMs?: number | undefined }) {
    this.#deps = deps;
    this.#everyMs = options.usageEveryMs;
  }

  start(): void {
    if (this.#running || this.#everyMs === undefined) return;
    this.#running = true;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** one sample of every live instance, emitted as one event */
  async sample(): Promise<void> {
    const { control, clock, bus } = this.#deps;
    const live = this.#deps.instances().filter((instance) => instance.pid > 0);
    const usage = await control.groupUsage(live.map((instance) => instance.pid));
    const at = clock.now();
    const last = new Map<number, { cpuMs: number; at: number }>();
    const samples = [];
    for (const { ref, pid } of live) {
      const { name, type, uid } = ref;
      const group = usage.get(pid);
      if (!group) continue;
      const before = this.#last.get(uid);
      const elapsed = before ? at - before.at : 0;
      const cpu = before && elapsed > 0 ? (Math.max(0, group.cpuMs - before.cpuMs) / elapsed) * 100 : undefined;
      samples.push({ name, type, uid, cpu, rss: group.rss });
      last.set(uid, { cpuMs: group.cpuMs, at });
    }
    this.#last = last;
    if (samples.length > 0) bus.emit({ kind: 'instance:usage', samples });
  }

  #schedule(): void {
    this.#timer = this.#deps.clock.after(this.#everyMs ?? 1000, () => {
      void this.sample()
        .catch(() => undefined)
        .finally(() => {
          if (this.#running) this.#schedule();
        });
    });
  }
}
