// The app and its formation: where the Procfile and env files are, how many instances, which ports.

import { ALL, CONTROL, type OptionGroup } from './option-types.js';

export const APP_OPTIONS = {
  procfile: {
    short: 'f',
    kind: 'string',
    argument: 'FILE',
    default: 'Procfile',
    description: 'Procfile to run',
    commands: [...ALL, 'ps', 'restart', 'stop', 'scale'],
  },
  root: {
    short: 'd',
    kind: 'string',
    argument: 'DIR',
    description: "app root, where commands run (default: the Procfile's folder)",
    commands: [...ALL, ...CONTROL, 'load'],
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
} satisfies OptionGroup;
