// Options only one command takes: check's smoke run and reports, start --watch, export's files.

import { CHECK, type OptionGroup } from './option-types.js';

export const COMMANDS_OPTIONS = {
  run: {
    kind: 'string',
    argument: 'CMD',
    description:
      'smoke command (through /bin/sh): run against one instance first, then against the shuffled formation; gets AMNESIA_URL and AMNESIA_URL_<TYPE>',
    commands: CHECK,
  },
  duration: {
    shortFor: { load: 'd' },
    kind: 'duration',
    argument: 'DURATION',
    description:
      'check: keep the shuffled formation up this long (traffic from elsewhere, or longer than the smoke command); load: how long to send requests (default: 10s)',
    commands: [...CHECK, 'load'],
  },
  report: { kind: 'string', argument: 'FILE', description: 'write the JSON report here', commands: CHECK },
  record: {
    kind: 'string',
    argument: 'FILE.har',
    description:
      'write every routed request and response to a HAR 1.2 file (mode 600: it holds cookies and Authorization as sent), for check --replay',
    commands: ['start'],
  },
  replay: {
    kind: 'string',
    argument: 'FILE.har',
    description:
      'replay a recorded HAR (start --record, browser DevTools, Playwright) against one instance twice and the shuffled formation, and report what differs',
    commands: CHECK,
  },
  replaySkip: {
    kind: 'list',
    argument: 'GLOBS',
    description: 'paths --replay leaves out, e.g. "/static/**,*.png" (default: none: an asset may hold state too)',
    commands: CHECK,
  },
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
  follow: {
    short: 'f',
    kind: 'boolean',
    default: false,
    description: 'keep printing new lines as they come, until Ctrl-C or the run ends',
    commands: ['logs'],
  },
  lines: {
    short: 'n',
    kind: 'count',
    argument: 'N',
    description: 'only the last N of the buffered lines (the run keeps the last 1000)',
    commands: ['logs'],
  },
  json: {
    kind: 'boolean',
    default: false,
    description: 'JSON instead of text: ps, one object per instance; load, the summary',
    commands: ['ps', 'load'],
  },
  connections: {
    short: 'c',
    kind: 'count',
    argument: 'N',
    default: 10,
    description: 'keep-alive connections the load is sent on',
    commands: ['load'],
  },
  rate: {
    short: 'R',
    kind: 'count',
    argument: 'R',
    description:
      'requests per second, sent on schedule whatever the server does (open loop: latency counts from when each was due, as wrk2 measures); default: closed loop, each connection as fast as it is answered',
    commands: ['load'],
  },
  path: {
    kind: 'list',
    argument: 'PATHS',
    description: "paths requested in turn, comma-separated (default: the URL's own, else /)",
    commands: ['load'],
  },
} satisfies OptionGroup;
