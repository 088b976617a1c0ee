// What an option is: its kind, its spec in the table, and the Options every command reads.

export type CommandName = 'start' | 'check' | 'run' | 'export' | 'validate' | 'load' | ControlCommand;

/** the commands that talk to a running `start` over its control socket */
export type ControlCommand = 'ps' | 'restart' | 'stop' | 'scale' | 'logs';

export type OptionKind = 'boolean' | 'string' | 'choice' | 'list' | 'port' | 'duration' | 'count';

interface OptionSpecBase {
  short?: string;
  /** a letter for these commands only; it wins over another option's `short` there (`-d` is --duration for
   *  load, --root elsewhere) */
  shortFor?: Partial<Record<CommandName, string>>;
  description: string;
  /** placeholder shown in --help, e.g. FILE */
  argument?: string;
  commands: readonly CommandName[];
  /** the allowed values of a 'choice' option */
  choices?: readonly string[];
}

type KindOf<T> = T extends boolean
  ? 'boolean'
  : T extends readonly string[]
    ? 'list'
    : T extends string
      ? 'string' | 'choice'
      : 'port' | 'duration' | 'count';

export type OptionSpec<T> = OptionSpecBase & { kind: KindOf<T>; default?: T };

/** every option a command can take; durations are milliseconds */
export interface Options {
  procfile: string;
  root: string;
  env: string[];
  formation: string;
  port: number;
  route: string[];
  timeout: number;
  readyTimeout: number;
  health: string;
  exitOnCrash: boolean;
  timestamp: boolean;
  prefix: boolean;
  color: boolean;
  headless: boolean;
  host: string;
  balance: string;
  seed: number;
  restartEvery: number;
  restartAfter: number;
  restart: boolean;
  chaos: string[];
  drainTimeout: number;
  restartSignal: string;
  instanceHeader: boolean;
  logRequests: boolean;
  mirror: boolean;
  record: string;
  replay: string;
  replaySkip: string[];
  ignoreWrites: string[];
  run: string;
  duration: number;
  report: string;
  junit: string;
  app: string;
  image: string;
  user: string;
  watch: boolean;
  watchIgnore: string[];
  maxInstances: number;
  upstreamTimeout: number;
  socketIdleTimeout: number;
  force: boolean;
  follow: boolean;
  lines: number;
  json: boolean;
  connections: number;
  rate: number;
  path: string[];
}

export const ALL: readonly CommandName[] = ['start', 'check', 'run', 'export', 'validate'];
export const RUNNING: readonly CommandName[] = ['start', 'check'];
export const CHECK: readonly CommandName[] = ['check'];
export const CONTROL: readonly ControlCommand[] = ['ps', 'restart', 'stop', 'scale', 'logs'];

/** the whole option table: one spec per option */
export type OptionTable = { [K in keyof Options]-?: OptionSpec<Options[K]> };

/** one group of the table (options-app.ts, ...) */
export type OptionGroup = Partial<OptionTable>;
