import { loadAppConfig, planRun } from '../config/load.js';
import { LineRenderer } from '../render/headless/line-renderer.js';
import { WriteRing } from '../render/headless/write-ring.js';
import { replayCommand } from '../report/report.js';
import type { Options } from '../config/options.js';
import { ControlServer } from '../control/server.js';
import { createRun } from '../run/create-run.js';
import type { Run } from '../shared/run-handle.js';
import { runExitCode } from './exit-codes.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';
import { LoadRunner } from './load-runner.js';
import { formatError } from './print-error.js';
import { Recording } from './recording.js';
import { warnOnStart } from './warn-on-start.js';

const SUMMARY_MS = 5000;
/** each instance's CPU and memory, for the UI's table and `amnesia ps` */
const USAGE_MS = 1000;
// Output may queue this much for a slow stdout before the instances' pipes are paused: pausing at the
// stream's 16 KB mark stopped a chatty instance on every chunk (bench:logs: 7-10% longer drains).
const OUTPUT_QUEUE_BYTES = 1 << 20;

// Signals from outside: SIGINT or SIGTERM stops gracefully, a second one kills at once. SIGHUP headless
// restarts every instance, one at a time (a reload, as nginx reads it); with the UI it is the terminal
// going away (its window closed), and stops as SIGTERM does. Returns the way to stop listening.
function onSignals(run: Run, ctx: CliContext, hangup: 'restart' | 'stop'): () => void {
  let interrupts = 0;
  const onInterrupt = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      run.events.emit({ kind: 'run:signal', signal, action: 'stop' });
      void run.controls.stop(`${signal} received`);
    } else {
      run.events.emit({ kind: 'run:signal', signal, action: 'kill' });
      void run.controls.kill(`${signal} received twice`);
    }
  };
  const handlers: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', () => void> = {
    SIGINT: () => onInterrupt('SIGINT'),
    SIGTERM: () => onInterrupt('SIGTERM'),
    SIGHUP: () => {
      if (hangup === 'stop') return onInterrupt('SIGHUP');
      run.events.emit({ kind: 'run:signal', signal: 'SIGHUP', action: 'rolling-restart' });
      void run.controls.rollingRestart();
    },
  };
  for (const [signal, handler] of Object.entries(handlers)) ctx.signals.on(signal, handler);
  return () => {
    for (const [signal, handler] of Object.entries(handlers)) ctx.signals.off(signal, handler);
  };
}

// The terminal UI (loaded only on a TTY: ink and react are not needed headless). Its keys stop the run;
// Ctrl-C in the terminal is a key there (raw mode), a SIGINT from outside is a signal as headless.
async function startTui(
  run: Run,
  ctx: CliContext,
  args: readonly string[],
  color: boolean | undefined,
): Promise<number> {
  const { renderTui } = await import('../render/tui/render-tui.js');
  const stopListening = onSignals(run, ctx, 'stop');
  const replay = run.redact(replayCommand(['start', ...args], run.seed));
  const streams = { stdout: ctx.stdout as NodeJS.WriteStream, stdin: ctx.stdin };
  // `L` runs this same CLI (the script node was started with) as `amnesia load`
  const load = process.argv[1] ? new LoadRunner(run, process.argv[1], ctx.env) : undefined;
  const drawn = renderTui(run, streams, { replay, color: color ?? ctx.colorByDefault, ...(load ? { load } : {}) });
  try {
    await run.start();
    const outcome = await drawn;
    if (run.failure) ctx.stderr.write(formatError(run.failure, ctx.colorByDefault));
    return runExitCode(outcome);
  } catch (error) {
    await drawn;
    throw error;
  } finally {
    stopListening();
  }
}

// `amnesia start`: runs the formation until Ctrl-C; resolves to the exit code.
export async function startCommand(
  argv: ParsedArgv,
  ctx: CliContext,
  args: readonly string[],
  version: string,
): Promise<number> {
  const load = () =>
    planRun(loadAppConfig({ command: 'start', flags: argv.flags, env: ctx.env, cwd: ctx.cwd }), argv.positionals);
  const config = load();
  const { options } = config;
  // claimed first: a second start in the same root stops here, before it starts anything
  const control = await ControlServer.open(config.root);
  // after the claim (a refused second start must not truncate the first one's recording), released if it fails
  let recording: Recording | undefined;
  try {
    recording = options.record === undefined ? undefined : new Recording(ctx, options.record, version);
  } catch (error) {
    await control.close();
    throw error;
  }
  const run = createRun(config, { reload: load, usageEveryMs: USAGE_MS, recorder: recording?.recorder });
  control.serve(run);
  if (control.removedStale) warnOnStart(run, `removed ${control.path}: a run that did not stop left it`);
  recording?.attach(run);
  try {
    return await startWith(run, ctx, args, options);
  } finally {
    await control.close();
    recording?.close();
  }
}

async function startWith(
  run: Run,
  ctx: CliContext,
  args: readonly string[],
  options: Partial<Options>,
): Promise<number> {
  const tui = ctx.stdout.isTTY === true && ctx.stdin.isTTY === true && !(options.headless ?? false) && !ctx.env['CI'];
  if (tui) return startTui(run, ctx, args, options.color);
  const ring = new WriteRing(2 * OUTPUT_QUEUE_BYTES, ctx.stdout);
  const renderer = new LineRenderer({
    timestamp: options.timestamp ?? true,
    prefix: options.prefix ?? true,
    color: options.color ?? ctx.colorByDefault,
    write: (text, encoding) => ring.write(text, encoding) || (ctx.stdout.writableLength ?? 0) < OUTPUT_QUEUE_BYTES,
    onBackpressure: (paused) => run.controls.pauseOutput(paused),
    waitDrain: (resume) => ctx.stdout.once('drain', resume),
    logRequests: options.logRequests ?? false,
    redact: run.redact,
  });
  run.events.subscribe(renderer.handle);
  const summary = setInterval(() => renderer.tick(SUMMARY_MS), SUMMARY_MS);
  summary.unref();

  const stopListening = onSignals(run, ctx, 'restart');
  try {
    await run.start();
    const outcome = await run.finished;
    if (run.failure) ctx.stderr.write(formatError(run.failure, ctx.colorByDefault));
    return runExitCode(outcome);
  } finally {
    clearInterval(summary);
    renderer.tick(SUMMARY_MS);
    stopListening();
  }
}
