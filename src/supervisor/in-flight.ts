// What a stop must reach: every instance that has not exited, current in its slot or not (a replacement
// still starting is not), and every spawn still waiting for its port, whose instance would otherwise start
// after the stop had counted what to stop.
import type { Instance } from './instance.js';

export class InFlight {
  readonly #live = new Set<Instance>();
  readonly #spawning = new Set<Promise<Instance>>();

  /** follows a spawn until it has an instance (or failed) */
  spawning(spawn: Promise<Instance>): Promise<Instance> {
    this.#spawning.add(spawn);
    const done = (): boolean => this.#spawning.delete(spawn);
    spawn.then(done, done);
    return spawn;
  }

  /** follows an instance until it has exited */
  started(instance: Instance): void {
    this.#live.add(instance);
    void instance.exited.then(() => this.#live.delete(instance));
  }

  /** the instances not exited now */
  live(): Instance[] {
    return [...this.#live];
  }

  /** the instances not exited once every spawn under way has one */
  async settled(): Promise<Instance[]> {
    await Promise.allSettled(this.#spawning);
    return this.live();
  }
}
