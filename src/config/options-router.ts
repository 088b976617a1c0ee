// The routers: where they listen, how they pick an instance, their timeouts and what they observe.

import { BALANCE_MODES } from '../shared/balance-modes.js';
import { RUNNING, type OptionGroup } from './option-types.js';

export const ROUTER_OPTIONS = {
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
  ignoreWrites: {
    kind: 'list',
    argument: 'PATTERNS',
    description:
      'files under the app root that may be written without a local-write finding, in .gitignore syntax (node_modules, .git, coverage, __pycache__ and *.pyc always may)',
    commands: RUNNING,
  },
} satisfies OptionGroup;
