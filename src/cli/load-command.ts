// `amnesia load [URL|TYPE]`: HTTP load against the router of the `amnesia start` running in this app root
// (its control socket says where the routers are), or against any URL. Prints what autocannon prints: req/s,
// latency percentiles, answers by status, errors; `--json` the same as one object. Exit 0 when every request
// got an answer below 500, 1 otherwise, 2 for a wrong argument or when nothing runs there.
import { loadAppConfig } from '../config/load.js';
import { formatDuration } from '../config/duration.js';
import { requestRun } from '../control/client.js';
import { UserError } from '../errors.js';
import { generateLoad, type LoadSummary } from '../load/generate.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';
import { EXIT } from './exit-codes.js';

const DEFAULT_DURATION_MS = 10_000;

/** the routers of the start running in `root`, by type */
async function routerUrls(root: string): Promise<Array<[string, string]>> {
  let urls: Array<[string, string]> = [];
  await requestRun(root, { command: 'ps' }, (reply) => {
    if (reply.kind === 'table') urls = reply.table.urls;
  });
  return urls;
}

async function target(word: string | undefined, root: string): Promise<URL> {
  if (word !== undefined && /^https?:\/\//i.test(word)) {
    try {
      return new URL(word);
    } catch {
      throw new UserError('BAD_URL', `"${word}" is not a URL`, { where: 'URL', hint: 'e.g. http://127.0.0.1:5000/' });
    }
  }
  const urls = await routerUrls(root);
  const found = word === undefined ? urls[0] : urls.find(([type]) => type === word);
  if (!found) {
    const routed = urls.map(([type]) => type).join(', ') || 'none';
    throw new UserError('UNKNOWN_TYPE', word === undefined ? 'the run routes no type' : `no router for "${word}"`, {
      ...(word === undefined ? {} : { where: 'TYPE' }),
      hint: `the routed types of the run in ${root}: ${routed} (or give a URL)`,
    });
  }
  return new URL(found[1]);
}

const ms = (value: number): string =>
  value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
const thousands = (n: number): string => n.toLocaleString('en-US');

export function summaryText(s: LoadSummary): string {
  const loop = s.rate === null ? 'closed loop' : `open loop at ${thousands(s.rate)} req/s`;
  const statuses = Object.entries(s.statuses).map(([status, n]) => `${status} ${thousands(n)}`);
  const errors = Object.entries(s.errors).map(([code, n]) => `${code} ${thousands(n)}`);
  const latency = s.latencyMs;
  return [
    `load ${s.url} · ${s.connections} connection${s.connections === 1 ? '' : 's'} · ${formatDuration(s.durationMs)} · ${loop}`,
    `  requests  ${thousands(s.requests)} answered · ${thousands(s.rps)} req/s`,
    latency
      ? `  latency   p50 ${ms(latency.p50)} ms · p90 ${ms(latency.p90)} ms · p99 ${ms(latency.p99)} ms · max ${ms(latency.max)} ms`
      : '  latency   -',
    `  status    ${statuses.join(' · ') || 'none'}`,
    `  errors    ${errors.join(' · ') || 'none'}`,
    '',
  ].join('\n');
}

export async function loadCommand(argv: ParsedArgv, ctx: CliContext): Promise<number> {
  if (argv.positionals.length > 1) {
    throw new UserError('UNEXPECTED_ARGUMENTS', `load takes one URL or type: ${argv.positionals.join(' ')}`, {
      hint: 'e.g. amnesia load web -c 20 -d 30s',
    });
  }
  const { root, options } = loadAppConfig({
    ...{ command: 'load', flags: argv.flags, env: ctx.env, cwd: ctx.cwd },
    procfileOptional: true,
  });
  if (options.rate === 0 || options.connections === 0) {
    throw new UserError('BAD_OPTION', 'must be more than 0', {
      where: options.rate === 0 ? '--rate' : '--connections',
    });
  }
  const url = await target(argv.positionals[0], root);
  // Ctrl-C (or the UI that started this load stopping it) ends the load early: the summary still prints
  const stop = new AbortController();
  const end = (): void => stop.abort();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) ctx.signals.once(signal, end);
  // started by the UI's `L` over an IPC channel: when the UI's process goes, so does the load
  process.once('disconnect', end);
  const summary = await generateLoad({
    ...{ url, connections: options.connections ?? 10, rate: options.rate, paths: options.path ?? [] },
    durationMs: options.duration ?? DEFAULT_DURATION_MS,
    signal: stop.signal,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) ctx.signals.off(signal, end);
  process.off('disconnect', end);
  ctx.stdout.write(options.json === true ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary));
  const failed =
    Object.keys(summary.errors).length > 0 || Object.keys(summary.statuses).some((status) => Number(status) >= 500);
  return failed ? EXIT.failed : EXIT.ok;
}
