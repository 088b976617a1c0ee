// A run's options with every default applied once, in one place: the rest of the run reads these, never
// `options.x ?? default`.
import type { RunConfig } from '../config/load.js';
import { newSeed } from '../random.js';
import type { BalanceMode } from '../shared/balance-modes.js';

export interface ResolvedOptions {
  host: string;
  seed: number;
  stopTimeoutMs: number;
  readyTimeoutMs: number;
  drainTimeoutMs: number;
  upstreamTimeoutMs: number;
  socketIdleTimeoutMs: number;
  instanceHeader: boolean;
  health: string | undefined;
  exitOnCrash: boolean;
  balance: BalanceMode;
  restartSignal: NodeJS.Signals;
  /** the types the scheduler restarts */
  chaosTypes: readonly string[];
  /** mean time between scheduled restarts; undefined: none */
  restartEveryMs: number | undefined;
  restartAfter: number | undefined;
  mirror: boolean;
  watch: boolean;
  ignoreWrites: readonly string[];
  watchIgnore: readonly string[];
}

/** restart cadence when --restart-every is not given: 30 s in `start` (check passes 5 s) */
export const RESTART_EVERY_MS = 30_000;

export function resolveOptions(config: RunConfig, restartEveryMs = RESTART_EVERY_MS): ResolvedOptions {
  const { options } = config;
  const restarts = options.restart !== false;
  return {
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? newSeed(),
    stopTimeoutMs: options.timeout ?? 5000,
    readyTimeoutMs: options.readyTimeout ?? 30_000,
    drainTimeoutMs: options.drainTimeout ?? 10_000,
    upstreamTimeoutMs: options.upstreamTimeout ?? 60_000,
    socketIdleTimeoutMs: options.socketIdleTimeout ?? 600_000,
    instanceHeader: options.instanceHeader ?? true,
    health: options.health,
    exitOnCrash: options.exitOnCrash ?? false,
    balance: (options.balance ?? 'random') as BalanceMode,
    restartSignal: `SIG${options.restartSignal ?? 'TERM'}` as NodeJS.Signals,
    chaosTypes: options.chaos ?? config.routed,
    restartEveryMs: restarts ? (options.restartEvery ?? restartEveryMs) || undefined : undefined,
    restartAfter: restarts ? options.restartAfter : undefined,
    mirror: options.mirror ?? false,
    watch: options.watch ?? false,
    ignoreWrites: options.ignoreWrites ?? [],
    watchIgnore: options.watchIgnore ?? [],
  };
}
