// What the manager's own output looks like.

import { RUNNING, type OptionGroup } from './option-types.js';

export const OUTPUT_OPTIONS = {
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
    commands: [...RUNNING, 'logs'],
  },
  color: {
    short: 'c',
    kind: 'boolean',
    description: 'colour the prefixes (default: only on a TTY; --no-color to force off)',
    commands: [...RUNNING, 'logs'],
  },
  headless: {
    kind: 'boolean',
    default: false,
    description: 'plain prefixed lines instead of the terminal UI',
    commands: RUNNING,
  },
} satisfies OptionGroup;
