import type { EventBus } from '../events/bus.js';
import { UserError } from '../errors.js';
import type { ProcfileEntry } from '../procfile/parse.js';
import { CrashPolicy, CRASH_WINDOW_MS } from './crash-policy.js';
import { freePort } from './free-port.js';
import { Instance, TMPDIR_FAILED, type ExitInfo } from './instance.js';
import { httpProbe, tcpProbe } from './readiness.js';
import { signalExitCode } from './signals.js';
import type { Spawn } from './spawn.js';
import type { Watchdog } from './watchdog.js';

export interface SupervisorConfig {
  root: string;
  entries: readonly ProcfileEntry[];
  /** the Procfile as the user named it, for error messages */
  procfileName: string;
  formation: ReadonlyMap<string, number>;
  routed: readonly string[];
  /** the environment every instance starts from */
  env: Record<string, string>;
  /** base port + 100 * index, per type */
  typePorts: ReadonlyMap<string, number>;
  host: string;
  stopTimeoutMs: number;
  readyTimeoutMs: number;
  drainTimeoutMs: number;
  health: string | undefined;
  exitOnCrash: boolean;
  tmpRoot: string;
}

export interface SupervisorDeps {
  spawn: Spawn;
  bus: EventBus;
  watchdog: Watchdog;
  now?: () => number;
}

interface Slot {
  name: string;
  type: string;
  number: number;
  current: Instance | undefined;
  retry: NodeJS.Timeout | undefined;
  restarting: boolean;
}

/** how the router takes an instance out of rotation before it is stopped */
export interface DrainHook {
  drain(instance: Instance): Promise<void>;
  inFlight(instance: Instance): number;
}

/** the run must end: a crash under --exit-on-crash, or a command that cannot run at all (a UserError) */
export type FatalHandler = (exitCode: number, reason: string, error?: UserError) => void;

/** how many instances boot at once at start-up */
const SPAWN_BATCH = 16;

// Owns every instance: starts the formation, restarts crashes with backoff, restarts and scales on request.
export class Supervisor {
  /** entries, env and type ports change when --watch reloads the Procfile or an env file */
  readonly #config: SupervisorConfig & { typePorts: Map<string, number> };
  readonly #deps: SupervisorDeps;
  readonly #slots = new Map<string, Slot>();
  readonly #policy = new CrashPolicy();
  readonly #looping = new Set<string>();
  readonly #now: () => number;
  #uid = 0;
  #stopping = false;
  onFatal: FatalHandler = () => undefined;
  drainHook: DrainHook = { drain: () => Promise.resolve(), inFlight: () => 0 };

  constructor(config: SupervisorConfig, deps: SupervisorDeps) {
    this.#config = { ...config, typePorts: new Map(config.typePorts) };
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** every live instance, in Procfile and instance order */
  instances(): Instance[] {
    return [...this.#slots.values()].flatMap((slot) => (slot.current ? [slot.current] : []));
  }

  isRouted(type: string): boolean {
    return this.#config.routed.includes(type);
  }

  // Starts the whole formation; resolves once every instance is ready (or crashed and retrying), with the
  // names of those that crashed.
  // An instance that never gets ready is a start-up error; a command that cannot run (exit 126/127) goes to onFatal.
  async start(): Promise<string[]> {
    const started: Instance[] = [];
    for (const entry of this.#config.entries) {
      const count = this.#config.formation.get(entry.name) ?? 0;
      for (let n = 1; n <= count; n++) {
        // a stop (Ctrl-C, a fatal error) between two spawns starts nothing more
        if (this.#stopping) break;
        const slot = this.#addSlot(entry.name, n);
        started.push(await this.#spawn(slot, false));
        // in batches: a large formation boots a few instances at a time, and signals are read in between
        if (started.length % SPAWN_BATCH === 0)
          await Promise.all(started.slice(-SPAWN_BATCH).map((instance) => instance.ready));
        else await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const problems: UserError[] = [];
    const crashed: string[] = [];
    await Promise.all(
      started.map(async (instance) => {
        const result = await instance.ready;
        if (result === 'timeout') problems.push(this.#neverReady(instance));
        else if (result === 'exited' && !this.#stopping) crashed.push(instance.spec.name);
      }),
    );
    if (problems.length > 0) throw problems[0];
    return crashed.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  /** starts nothing more and retries nothing: the run is ending */
  halt(): void {
    this.#stopping = true;
  }

  async stopAll(reason: string): Promise<void> {
    this.#stopping = true;
    for (const slot of this.#slots.values()) clearTimeout(slot.retry);
    await Promise.all(this.instances().map((instance) => instance.stop(reason)));
  }

  killAll(reason: string): void {
    this.#stopping = true;
    for (const slot of this.#slots.values()) clearTimeout(slot.retry);
    for (const instance of this.instances()) void instance.stop(reason, 'SIGKILL');
  }

  // Restarts one instance. Routed, graceful: the replacement starts and must be ready, then the old one is
  // drained (no new requests, in-flight ones finish) and only then signalled. SIGKILL: a crash on purpose,
  // no drain; the replacement starts once the old one is gone.
  async restart(name: string, reason = 'restart', signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const slot = this.#slots.get(name);
    if (!slot || this.#stopping || slot.restarting) return;
    slot.restarting = true;
    const started = this.#now();
    clearTimeout(slot.retry);
    slot.retry = undefined;
    this.#forgive(slot.type);
    const old = slot.current;
    const ref = old?.ref ?? { name: slot.name, type: slot.type, uid: 0 };
    this.#deps.bus.emit({ ...ref, kind: 'restart:started', reason, signal });
    const finish = (ok: boolean, detail: string): void => {
      slot.restarting = false;
      this.#deps.bus.emit({ ...ref, kind: 'restart:finished', ok, durationMs: this.#now() - started, detail });
    };
    try {
      if (this.isRouted(slot.type) && old && old.state === 'ready' && signal !== 'SIGKILL') {
        const replacement = await this.#spawn(slot, true, false);
        if ((await replacement.ready) !== 'ready') {
          await replacement.stop('its replacement never got ready');
          finish(false, 'the replacement never got ready; the old instance keeps serving');
          return;
        }
        slot.current = replacement;
        await this.#drain(old);
        await old.stop(reason, signal);
        finish(true, `replaced by pid ${replacement.pid}`);
        return;
      }
      if (old) await old.stop(reason, signal);
      if (!this.#stopping && this.#slots.get(name) === slot) {
        const replacement = await this.#spawn(slot, false);
        finish(true, `replaced by pid ${replacement.pid}`);
      } else finish(false, 'the run is stopping');
    } catch (error) {
      finish(false, (error as Error).message);
    }
  }

  async #drain(instance: Instance): Promise<void> {
    instance.state = 'draining';
    this.#deps.bus.emit({ ...instance.ref, kind: 'instance:draining', inFlight: this.drainHook.inFlight(instance) });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.drainHook.drain(instance),
      new Promise((resolve) => (timer = setTimeout(resolve, this.#config.drainTimeoutMs))),
    ]);
    clearTimeout(timer);
  }

  async rollingRestart(reason = 'rolling restart'): Promise<void> {
    for (const name of [...this.#slots.keys()]) await this.restart(name, reason);
  }

  /** the slot names of the live instances of these types, ready and not being restarted */
  restartable(types: readonly string[]): string[] {
    return [...this.#slots.values()]
      .filter((s) => types.includes(s.type) && !s.restarting && s.current?.state === 'ready')
      .map((s) => s.name);
  }

  // The Procfile or an env file changed (--watch): later spawns use the new commands and env.
  update(entries: readonly ProcfileEntry[], env: Record<string, string>, routed: readonly string[]): void {
    this.#config.entries = entries;
    this.#config.env = env;
    this.#config.routed = routed;
  }

  // Starts a type that was not running (a new Procfile entry, or scaling up from nothing).
  async addType(type: string, count: number, typePort: number): Promise<void> {
    this.#config.typePorts.set(type, typePort);
    const existing = [...this.#slots.values()].filter((slot) => slot.type === type).length;
    for (let n = existing + 1; n <= existing + count; n++) await this.#spawn(this.#addSlot(type, n), false);
  }

  // Stops every instance of a type and forgets it.
  async removeType(type: string, reason: string): Promise<void> {
    const slots = [...this.#slots.values()].filter((slot) => slot.type === type);
    for (const slot of slots) {
      clearTimeout(slot.retry);
      this.#slots.delete(slot.name);
    }
    await Promise.all(slots.map((slot) => slot.current?.stop(reason)));
  }

  // Live scaling: more instances get the next numbers; fewer stop the highest-numbered ones.
  async scale(type: string, count: number): Promise<void> {
    if (this.#stopping || count < 0) return;
    const slots = [...this.#slots.values()].filter((slot) => slot.type === type).sort((a, b) => a.number - b.number);
    if (count > slots.length) {
      this.#forgive(type);
      for (let n = slots.length + 1; n <= count; n++) await this.#spawn(this.#addSlot(type, n), false);
      return;
    }
    const extra = slots.slice(count);
    for (const slot of extra) {
      clearTimeout(slot.retry);
      this.#slots.delete(slot.name);
    }
    await Promise.all(extra.map((slot) => slot.current?.stop('scaled down')));
  }

  /** how many instances a type has now */
  count(type: string): number {
    return [...this.#slots.values()].filter((slot) => slot.type === type).length;
  }

  /** the types that have instances, in start order */
  types(): string[] {
    return [...new Set([...this.#slots.values()].map((slot) => slot.type))];
  }

  // Restarts every instance of these types, one at a time (routed ones replacement first).
  async restartTypes(types: readonly string[], reason: string): Promise<void> {
    for (const slot of [...this.#slots.values()]) if (types.includes(slot.type)) await this.restart(slot.name, reason);
  }

  pauseOutput(paused: boolean): void {
    for (const instance of this.instances()) instance.pauseOutput(paused);
  }

  #forgive(type: string): void {
    this.#policy.forgive(type);
    this.#looping.delete(type);
  }

  #addSlot(type: string, number: number): Slot {
    const slot: Slot = {
      name: `${type}.${number}`,
      type,
      number,
      current: undefined,
      retry: undefined,
      restarting: false,
    };
    this.#slots.set(slot.name, slot);
    return slot;
  }

  async #spawn(slot: Slot, replacing: boolean, becomeCurrent = true): Promise<Instance> {
    const config = this.#config;
    const entry = config.entries.find((e) => e.name === slot.type);
    if (!entry) throw new Error(`no Procfile entry for ${slot.type}`);
    const routed = this.isRouted(slot.type);
    const typePort = config.typePorts.get(slot.type) ?? 0;
    const port = routed ? await freePort(config.host) : typePort + slot.number - 1;
    const probe = !routed
      ? undefined
      : config.health
        ? httpProbe(config.host, port, config.health)
        : tcpProbe(config.host, port);
    const instance = new Instance(
      {
        name: slot.name,
        type: slot.type,
        uid: ++this.#uid,
        command: entry.command,
        cwd: config.root,
        env: config.env,
        port,
        tmpRoot: config.tmpRoot,
        probe,
        readyTimeoutMs: config.readyTimeoutMs,
        stopTimeoutMs: config.stopTimeoutMs,
      },
      this.#deps,
    );
    if (becomeCurrent) slot.current = instance;
    instance.start(replacing);
    void instance.exited.then((exit) => this.#onExit(slot, instance, exit));
    return instance;
  }

  #onExit(slot: Slot, instance: Instance, exit: ExitInfo): void {
    const routed = this.isRouted(slot.type);
    const base = {
      ...instance.ref,
      kind: 'instance:exited' as const,
      pid: instance.pid,
      code: exit.code,
      signal: exit.signal,
      killedAfterMs: exit.killedAfterMs,
    };
    if (exit.requested || this.#stopping) {
      instance.state = 'stopped';
      this.#deps.bus.emit({ ...base, state: 'stopped', restartInMs: undefined });
      return;
    }
    if (!routed && exit.code === 0) {
      instance.state = 'done';
      this.#deps.bus.emit({ ...base, state: 'done', restartInMs: undefined });
      this.#checkAllEnded();
      return;
    }
    instance.state = 'crashed';
    if (exit.error !== undefined || exit.code === 126 || exit.code === 127) {
      this.#deps.bus.emit({ ...base, state: 'crashed', restartInMs: undefined });
      this.onFatal(2, `${instance.spec.name} cannot run its command`, this.#cannotRun(instance, exit));
      return;
    }
    if (this.#config.exitOnCrash) {
      this.#deps.bus.emit({ ...base, state: 'crashed', restartInMs: undefined });
      const code = exit.code ?? signalExitCode(exit.signal);
      this.onFatal(code === 0 ? 1 : code, `${instance.spec.name} exited (--exit-on-crash)`);
      return;
    }
    const decision = this.#policy.record(slot.type, slot.name, this.#now(), this.#now() - instance.startedAt);
    const retry = decision.action === 'restart' && slot.current === instance;
    this.#deps.bus.emit({
      ...base,
      state: 'crashed',
      restartInMs: retry && decision.action === 'restart' ? decision.delayMs : undefined,
    });
    if (decision.action === 'give-up' && !this.#looping.has(slot.type)) {
      this.#looping.add(slot.type);
      this.#deps.bus.emit({
        kind: 'type:crash-looping',
        type: slot.type,
        crashes: decision.crashes,
        windowMs: CRASH_WINDOW_MS,
        lastLines: instance.lastLines,
      });
    }
    if (retry && decision.action === 'restart') {
      slot.retry = setTimeout(() => {
        slot.retry = undefined;
        if (!this.#stopping && slot.current === instance)
          this.#spawn(slot, false).catch((error: unknown) => this.#couldNotStart(slot, error));
      }, decision.delayMs);
    }
    this.#checkAllEnded();
  }

  // A retry that failed before there was a process (its temp dir, a free port): nothing amnesia can retry.
  #couldNotStart(slot: Slot, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.onFatal(
      2,
      `${slot.name} could not be started`,
      new UserError('SPAWN_FAILED', `${slot.name} could not be started: ${message}`, {
        hint: 'check that the temp dir (TMPDIR) is writable and that ports are free',
      }),
    );
  }

  // Nothing running and nothing to retry (every instance done or given up on): the run is over.
  #checkAllEnded(): void {
    const slots = [...this.#slots.values()];
    const ended = slots.every(
      (slot) => slot.retry === undefined && (slot.current?.state === 'done' || slot.current?.state === 'crashed'),
    );
    if (this.#stopping || slots.length === 0 || !ended) return;
    const failed = slots.some((slot) => slot.current?.state === 'crashed');
    this.onFatal(failed ? 1 : 0, failed ? 'every instance has ended, some crashed' : 'every instance has finished');
  }

  #neverReady(instance: Instance): UserError {
    const seconds = this.#config.readyTimeoutMs / 1000;
    const target = this.#config.health
      ? `did not answer 2xx/3xx on GET ${this.#config.health}`
      : 'did not accept connections';
    return new UserError(
      'NEVER_READY',
      `${instance.spec.name} ${target} on port ${instance.spec.port} within ${seconds}s`,
      {
        where: instance.spec.name,
        hint: 'make the app listen on process.env.PORT (it must not pick its own port), or raise --ready-timeout',
        details: lastOutput(instance),
      },
    );
  }

  #cannotRun(instance: Instance, exit: ExitInfo): UserError {
    const entry = this.#config.entries.find((e) => e.name === instance.spec.type);
    const where = entry ? `${this.#config.procfileName}:${entry.line}` : instance.spec.name;
    if (exit.error?.includes('E2BIG')) return tooLarge(instance, entry?.command ?? '', where);
    if (exit.error?.startsWith(TMPDIR_FAILED)) {
      return new UserError('SPAWN_FAILED', `${instance.spec.name} could not be started: ${exit.error}`, {
        hint: 'check that the temp dir (TMPDIR) exists and is writable',
      });
    }
    const what =
      exit.error ?? (exit.code === 127 ? 'command not found' : 'command cannot be executed (permission denied?)');
    return new UserError('COMMAND_FAILED', `${instance.spec.name}: ${what}: ${entry?.command ?? ''}`, {
      where,
      hint:
        exit.code === 127
          ? 'install the program or fix its name in the Procfile (commands run in the app root through /bin/sh -c)'
          : 'check the command and the app root',
      details: lastOutput(instance),
    });
  }
}

/** Linux's limit on one argument or one NAME=value (MAX_ARG_STRLEN, 32 pages) */
const ONE_STRING_MAX = 128 * 1024;

// E2BIG names what is too large: the command, or the largest variable of the environment.
function tooLarge(instance: Instance, command: string, where: string): UserError {
  const [name, value] = Object.entries(instance.spec.env).reduce<[string, string]>(
    (big, pair) => (pair[1].length > big[1].length ? pair : big),
    ['', ''],
  );
  const culprit =
    command.length > ONE_STRING_MAX || command.length > value.length
      ? `its command is ${command.length.toLocaleString('en')} characters long`
      : `the variable ${name} is ${Buffer.byteLength(value).toLocaleString('en')} bytes`;
  return new UserError(
    'SPAWN_E2BIG',
    `${instance.spec.name} cannot be started: ${culprit}, over what the system allows (E2BIG)`,
    {
      where,
      hint: `one argument or variable may hold at most ${ONE_STRING_MAX / 1024} KiB, and all of them together about 2 MB: put large data in a file and pass its path`,
    },
  );
}

function lastOutput(instance: Instance): string[] {
  return instance.lastLines.length === 0
    ? ['(no output)']
    : ['last output:', ...instance.lastLines.map((line) => `  ${line}`)];
}
