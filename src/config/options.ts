import { BALANCE_MODES } from '../shared/balance-modes.js';

// The one declarative option table: argv parsing, amnesia.json keys, AMNESIA_* variables and --help all come from it.

export type CommandName = 'start' | 'check' | 'run' | 'export' | 'validate';

export type OptionKind = 'boolean' | 'string' | 'choice' | 'list' | 'port' | 'duration' | 'count';

interface OptionSpecBase {
  short?: string;
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
}

const ALL: readonly CommandName[] = ['start', 'check', 'run', 'export', 'validate'];
const RUNNING: readonly CommandName[] = ['start', 'check'];
const CHECK: readonly CommandName[] = ['check'];

export const OPTIONS: { [K in keyof Options]-?: OptionSpec<Options[K]> } = {
  procfile: {
    short: 'f',
    kind: 'string',
    argument: 'FILE',
    default: 'Procfile',
    description: 'Procfile to run',
    commands: ALL,
  },
  root: {
    short: 'd',
    kind: 'string',
    argument: 'DIR',
    description: "app root, where commands run (default: the Procfile's folder)",
    commands: ALL,
  },
  env: {
    short: 'e',
    kind: 'list',
    argument: 'FILES',
    description: 'env files, comma-separated, later ones win (default: .env if it exists)',
    commands: ALL,
  },
  maxInstances: {
    kind: 'count',
    argument: 'N',
    default: 64,
    description:
      'the most instances a formation may have in all, a guard against a typo such as web=10000 (raise it for a larger formation)',
    commands: ['start', 'check', 'export', 'validate'],
  },
  formation: {
    short: 'm',
    kind: 'string',
    argument: 'SPEC',
    description: 'instances per type, e.g. web=3,worker=2,all=1 (default: 3 per routed type, 1 otherwise)',
    commands: ['start', 'check', 'export', 'validate'],
  },
  port: {
    short: 'p',
    kind: 'port',
    argument: 'N',
    description: 'base port; the type on Procfile entry i owns N+100*i (default: PORT, else 5000)',
    commands: ['start', 'check', 'export', 'validate'],
  },
  route: {
    kind: 'list',
    argument: 'TYPES',
    default: ['web'],
    description: 'process types that get a router and free instance ports',
    commands: ['start', 'check', 'export', 'validate'],
  },
  timeout: {
    short: 't',
    kind: 'duration',
    argument: 'DURATION',
    default: 5000,
    description: 'time between SIGTERM and SIGKILL when stopping an instance',
    commands: [...RUNNING, 'export'],
  },
  readyTimeout: {
    kind: 'duration',
    argument: 'DURATION',
    default: 30_000,
    description: 'how long a routed instance may take to accept connections',
    commands: RUNNING,
  },
  health: {
    kind: 'string',
    argument: 'PATH',
    description: 'HTTP path that must answer 2xx/3xx before a routed instance is ready (default: a TCP connect)',
    commands: RUNNING,
  },
  exitOnCrash: {
    kind: 'boolean',
    default: false,
    description: "Foreman's behaviour: any crash stops everything, with the child's exit code",
    commands: RUNNING,
  },
  timestamp: {
    kind: 'boolean',
    default: true,
    description: 'prefix lines with HH:MM:SS (--no-timestamp to drop)',
    commands: RUNNING,
  },
  prefix: {
    kind: 'boolean',
    default: true,
    description: 'prefix lines with the instance name (--no-prefix to drop)',
    commands: RUNNING,
  },
  color: {
    short: 'c',
    kind: 'boolean',
    description: 'colour the prefixes (default: only on a TTY; --no-color to force off)',
    commands: RUNNING,
  },
  headless: {
    kind: 'boolean',
    default: false,
    description: 'plain prefixed lines instead of the terminal UI',
    commands: RUNNING,
  },
  host: {
    kind: 'string',
    argument: 'ADDRESS',
    default: '127.0.0.1',
    description: 'address the routers listen on (0.0.0.0 exposes the app to the network)',
    commands: RUNNING,
  },
  balance: {
    kind: 'choice',
    argument: 'MODE',
    default: 'random',
    choices: [...BALANCE_MODES],
    description:
      'how a router picks the instance: random, round-robin, hop (never the same instance twice in a row per client) or sticky',
    commands: RUNNING,
  },
  seed: {
    kind: 'count',
    argument: 'N',
    description:
      'seed of every random choice (balancing, restarts); printed at start, replays a run (default: a new one)',
    commands: RUNNING,
  },
  restartEvery: {
    kind: 'duration',
    argument: 'DURATION',
    description:
      'restart one instance of the chaos types about this often, at random (default: 30s in start, 5s in check)',
    commands: RUNNING,
  },
  restartAfter: {
    kind: 'count',
    argument: 'N',
    description: 'also restart one instance after every N routed requests',
    commands: RUNNING,
  },
  restart: {
    kind: 'boolean',
    default: true,
    description: 'scheduled restarts (--no-restart to turn them off)',
    commands: RUNNING,
  },
  chaos: {
    kind: 'list',
    argument: 'TYPES',
    description: 'types whose instances get restarted (default: the routed types)',
    commands: RUNNING,
  },
  upstreamTimeout: {
    kind: 'duration',
    argument: 'DURATION',
    default: 60_000,
    description:
      "how long an instance may stay silent (before its answer's head, or between two of its bytes) before the router answers 504; 0 waits for ever; an EventSource (Accept: text/event-stream) has only its head timed",
    commands: RUNNING,
  },
  socketIdleTimeout: {
    kind: 'duration',
    argument: 'DURATION',
    default: 600_000,
    description:
      'a WebSocket (or other upgraded) connection with no byte either way for this long is closed; pings keep it open; 0 never closes it',
    commands: RUNNING,
  },
  drainTimeout: {
    kind: 'duration',
    argument: 'DURATION',
    default: 10_000,
    description: "how long a restarted instance's in-flight requests may take to finish",
    commands: RUNNING,
  },
  restartSignal: {
    kind: 'choice',
    argument: 'SIGNAL',
    default: 'TERM',
    choices: ['TERM', 'INT', 'QUIT', 'HUP', 'KILL'],
    description: 'signal for scheduled restarts; KILL makes them crashes (no drain), to test disposability',
    commands: RUNNING,
  },
  instanceHeader: {
    kind: 'boolean',
    default: true,
    description: 'add X-Amnesia-Instance to every response (--no-instance-header to drop it)',
    commands: RUNNING,
  },
  logRequests: {
    kind: 'boolean',
    default: false,
    description: 'print every routed request (default: a summary every 5s)',
    commands: RUNNING,
  },
  mirror: {
    kind: 'boolean',
    description:
      'ask every instance the same safe request (GET/HEAD) and report answers that differ beyond the noise, e.g. a stale per-process cache (default: on in check, off in start; --no-mirror to turn off)',
    commands: RUNNING,
  },
  run: {
    kind: 'string',
    argument: 'CMD',
    description:
      'smoke command (through /bin/sh): run against one instance first, then against the shuffled formation; gets AMNESIA_URL and AMNESIA_URL_<TYPE>',
    commands: CHECK,
  },
  duration: {
    kind: 'duration',
    argument: 'DURATION',
    description: 'keep the shuffled formation up this long (traffic from elsewhere, or longer than the smoke command)',
    commands: CHECK,
  },
  report: { kind: 'string', argument: 'FILE', description: 'write the JSON report here', commands: CHECK },
  junit: {
    kind: 'string',
    argument: 'FILE',
    description: 'write a JUnit XML report here (one test case per finding kind and route)',
    commands: CHECK,
  },
  watch: {
    kind: 'boolean',
    default: false,
    description:
      'restart the instances when a file under the app root changes (respecting .gitignore); reload on Procfile or env file changes',
    commands: ['start'],
  },
  watchIgnore: {
    kind: 'list',
    argument: 'PATTERNS',
    description:
      'files whose changes --watch ignores, in .gitignore syntax (node_modules, .git and what .gitignore files name always)',
    commands: ['start'],
  },
  force: {
    kind: 'boolean',
    default: false,
    description: 'replace files the folder already has (a link is replaced, never written through)',
    commands: ['export'],
  },
  app: {
    kind: 'string',
    argument: 'NAME',
    description: "the app's name in the exported files (default: the app root's folder name)",
    commands: ['export'],
  },
  image: {
    kind: 'string',
    argument: 'IMAGE',
    description: 'container image for compose and kubernetes (default: APP:latest)',
    commands: ['export'],
  },
  user: {
    kind: 'string',
    argument: 'USER',
    description: 'user the systemd units run as (default: the app name)',
    commands: ['export'],
  },
  ignoreWrites: {
    kind: 'list',
    argument: 'PATTERNS',
    description:
      'files under the app root that may be written without a local-write finding, in .gitignore syntax (node_modules, .git, coverage, __pycache__ and *.pyc always may)',
    commands: RUNNING,
  },
};

export type OptionName = keyof Options;

export const optionNames = Object.keys(OPTIONS) as OptionName[];

/** `readyTimeout` -> `ready-timeout` */
export const flagName = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `readyTimeout` -> `AMNESIA_READY_TIMEOUT` */
export const envName = (name: string): string => `AMNESIA_${flagName(name).replace(/-/g, '_').toUpperCase()}`;

export const camelName = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export const COMMANDS: Record<CommandName, { usage: string; summary: string }> = {
  start: {
    usage: 'amnesia start [TYPE...] [options]',
    summary: 'run the formation (terminal UI on a TTY, prefixed lines otherwise)',
  },
  check: {
    usage: 'amnesia check --run CMD | --duration DURATION [options]',
    summary:
      'CI smoke run: shuffle and restart the formation, report hidden local state; exit 0 (clean), 1 (findings) or 2 (error)',
  },
  run: {
    usage: 'amnesia run [-e FILES] [--] COMMAND [ARGS...]',
    summary: "run one command with the app's env; a Procfile type name runs that type's command",
  },
  export: {
    usage: 'amnesia export systemd|compose|kubernetes DIR [options]',
    summary:
      'write deployment files for the formation: systemd units, docker compose with replicas, or Kubernetes manifests',
  },
  validate: {
    usage: 'amnesia validate [options]',
    summary: 'check the Procfile and env files; print the formation that would run',
  },
};
