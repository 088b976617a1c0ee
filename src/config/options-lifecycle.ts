// Instance lifecycle: readiness, stopping, crashes and the scheduled restarts.

import { RUNNING, type OptionGroup } from './option-types.js';

export const LIFECYCLE_OPTIONS = {
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
} satisfies OptionGroup;
