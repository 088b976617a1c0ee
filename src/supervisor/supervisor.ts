// Owns every instance of the formation: starts it, retries crashes with backoff, gives up on a crash loop,
// restarts (replacement first, see replacement.ts) and scales on request.
import type { ProcfileEntry } from '../procfile/parse.js';
import { realClock } from '../shared/clock.js';
import { bootFormation } from './boot.js';
import { CrashRecovery } from './crash-recovery.js';
import { InFlight } from './in-flight.js';
import { Instance } from './instance.js';
import { realProcessControl } from './process-control.js';
import { replace, type DrainHook } from './replacement.js';
import { isLive, reviveType, startByHand, stopByHand, type ByHand } from './by-hand.js';
import { cancelRetry, Slots, type Slot } from './slots.js';
import { neverReady } from './start-errors.js';
import { onInstanceExit, type ExitHandling } from './exit-handler.js';
import type { FatalHandler, SupervisorConfig, SupervisorDeps } from './supervisor-config.js';

export type { DrainHook } from './replacement.js';
export type { FatalHandler, SupervisorConfig, SupervisorDeps } from './supervisor-config.js';

export class Supervisor {
  /** entries, env and type ports change when --watch reloads the Procfile or an env file */
  readonly #config: SupervisorConfig & { typePorts: Map<string, number> };
  readonly #deps: Required<SupervisorDeps>;
  readonly #slots = new Slots();
  readonly #recovery: CrashRecovery;
  readonly #exits: ExitHandling;
  readonly #byHand: ByHand;
  readonly #inFlight = new InFlight();
  #uid = 0;
  #stopping = false;
  onFatal: FatalHandler = () => undefined;
  drainHook: DrainHook = { drain: () => Promise.resolve(), inFlight: () => 0 };

  constructor(config: SupervisorConfig, deps: SupervisorDeps) {
    this.#config = { ...config, typePorts: new Map(config.typePorts) };
    this.#deps = { ...deps, control: deps.control ?? realProcessControl, clock: deps.clock ?? realClock };
    this.#recovery = new CrashRecovery(this.#deps.bus, this.#deps.clock);
    this.#exits = {
      ...{ bus: this.#deps.bus, recovery: this.#recovery, slots: this.#slots, config: this.#config },
      stopping: () => this.#stopping,
      fatal: (outcome, reason) => this.onFatal(outcome, reason),
      respawn: (slot) => this.#spawn(slot, false),
    };
    this.#byHand = {
      ...{ ...this.#exits, isRouted: (type) => this.isRouted(type), spawn: (slot) => this.#spawn(slot, false) },
      drain: () => ({ ...this.#deps, drainHook: this.drainHook, drainTimeoutMs: this.#config.drainTimeoutMs }),
    };
  }

  /** every live instance, in Procfile and instance order */
  instances(): Instance[] {
    return this.#slots.all().flatMap((slot) => (slot.current ? [slot.current] : []));
  }

  isRouted(type: string): boolean {
    return this.#config.routed.includes(type);
  }

  // Starts the whole formation; resolves once every instance is ready (or crashed and retrying), with the
  // names of those that crashed. An instance that never gets ready is a start-up error (thrown); a command
  // that cannot run (exit 126/127) goes to onFatal.
  async start(): Promise<string[]> {
    return bootFormation({
      entries: this.#config.entries,
      formation: this.#config.formation,
      stopping: () => this.#stopping,
      spawn: (type, n) => this.#spawn(this.#slots.add(type, n), false),
      neverReady: (instance) => neverReady(instance, this.#config.readyTimeoutMs, this.#config.health),
    });
  }

  /** starts nothing more and retries nothing: the run is ending */
  halt(): void {
    this.#stopping = true;
    this.#slots.cancelRetries();
  }

  async stopAll(reason: string): Promise<void> {
    this.halt();
    await Promise.all((await this.#inFlight.settled()).map((instance) => instance.stop(reason)));
  }

  killAll(reason: string): void {
    this.halt();
    for (const instance of this.#inFlight.live()) void instance.stop(reason, 'SIGKILL');
  }

  // Restarts one instance (see replacement.ts); a restart by hand also forgives the type's crashes.
  async restart(name: string, reason = 'restart', signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const slot = this.#slots.get(name);
    if (!slot || this.#stopping || slot.restarting) return;
    slot.restarting = true;
    cancelRetry(slot);
    this.#recovery.forgive(slot.type);
    await replace(
      {
        bus: this.#deps.bus,
        clock: this.#deps.clock,
        drainTimeoutMs: this.#config.drainTimeoutMs,
        drainHook: this.drainHook,
        isRouted: (type) => this.isRouted(type),
        cancelled: (s) => this.#stopping || this.#slots.get(s.name) !== s,
        spawn: (s, replacing, becomeCurrent) => this.#spawn(s, replacing, becomeCurrent),
      },
      slot,
      reason,
      signal,
    );
  }

  // by-hand.ts: stop one instance and leave it stopped, start it again, revive a crash-looping type
  stopInstance = (name: string): Promise<void> => stopByHand(this.#byHand, name);
  startInstance = (name: string): Promise<void> => startByHand(this.#byHand, name);
  reviveType = (type: string): Promise<void> => reviveType(this.#byHand, type);
  isRunning = (name: string): boolean => isLive(this.#slots.get(name)?.current);

  async rollingRestart(reason = 'rolling restart'): Promise<void> {
    await this.restartTypes(this.types(), reason);
  }

  // Restarts every instance of these types, one at a time (routed ones replacement first).
  async restartTypes(types: readonly string[], reason: string): Promise<void> {
    for (const slot of this.#slots.all()) if (types.includes(slot.type)) await this.restart(slot.name, reason);
  }

  /** the slot names of the live instances of these types, ready and not being restarted */
  restartable = (types: readonly string[]): string[] => this.#slots.restartable(types);

  // The Procfile or an env file changed (--watch): later spawns use the new commands and env.
  update(entries: readonly ProcfileEntry[], env: Record<string, string>, routed: readonly string[]): void {
    this.#config.entries = entries;
    this.#config.env = env;
    this.#config.routed = routed;
  }

  // Starts a type that was not running (a new Procfile entry, or scaling up from nothing).
  async addType(type: string, count: number, typePort: number): Promise<void> {
    this.#config.typePorts.set(type, typePort);
    await this.scale(type, this.count(type) + count);
  }

  // Stops every instance of a type and forgets it.
  async removeType(type: string, reason: string): Promise<void> {
    await this.#shrink(this.#slots.ofType(type), reason);
  }

  // Live scaling: more instances get the next numbers; fewer stop the highest-numbered ones.
  async scale(type: string, count: number): Promise<void> {
    if (this.#stopping || count < 0) return;
    const slots = this.#slots.ofType(type);
    if (count <= slots.length) return this.#shrink(slots.slice(count), 'scaled down');
    this.#recovery.forgive(type);
    for (let n = slots.length + 1; n <= count; n++) await this.#spawn(this.#slots.add(type, n), false);
  }

  /** how many instances a type has now */
  count(type: string): number {
    return this.#slots.ofType(type).length;
  }

  /** the types that have instances, in start order */
  types(): string[] {
    return this.#slots.types();
  }

  pauseOutput(paused: boolean): void {
    for (const instance of this.instances()) instance.pauseOutput(paused);
  }

  async #shrink(slots: Slot[], reason: string): Promise<void> {
    for (const slot of slots) this.#slots.remove(slot);
    await Promise.all(slots.map((slot) => slot.current?.stop(reason)));
  }

  #spawn(slot: Slot, replacing: boolean, becomeCurrent = true): Promise<Instance> {
    return this.#inFlight.spawning(this.#spawnIn(slot, replacing, becomeCurrent));
  }

  async #spawnIn(slot: Slot, replacing: boolean, becomeCurrent: boolean): Promise<Instance> {
    const { control } = this.#deps;
    const config = this.#config;
    const entry = config.entries.find((e) => e.name === slot.type);
    if (!entry) throw new Error(`no Procfile entry for ${slot.type}`);
    const routed = this.isRouted(slot.type);
    const typePort = config.typePorts.get(slot.type) ?? 0;
    const port = routed ? await control.freePort(config.host) : typePort + slot.number - 1;
    const spec = {
      ...{ name: slot.name, type: slot.type, uid: ++this.#uid, command: entry.command, cwd: config.root },
      ...{ env: config.env, port, tmpRoot: config.tmpRoot, readyTimeoutMs: config.readyTimeoutMs },
      probe: routed ? control.probe(config.host, port, config.health) : undefined,
      stopTimeoutMs: config.stopTimeoutMs,
    };
    const instance = new Instance(spec, this.#deps);
    if (becomeCurrent) slot.current = instance;
    instance.start(replacing);
    this.#inFlight.started(instance);
    void instance.exited.then((exit) => onInstanceExit(this.#exits, slot, instance, exit));
    return instance;
  }
}
