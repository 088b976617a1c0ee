import { loadAppConfig, planRun } from '../config/load.js';
import { LineRenderer } from '../render/headless/line-renderer.js';
import { WriteRing } from '../render/headless/write-ring.js';
import { createRun, type Run } from '../run.js';
import type { ParsedArgv } from './argv.js';
import type { CliContext } from './context.js';
import { formatError } from './print-error.js';

const SUMMARY_MS = 5000;
// Output may queue this much for a slow stdout before the instances' pipes are paused: pausing at the
// stream's 16 KB mark stopped a chatty instance on every chunk (bench:logs: 7-10% longer drains).
const OUTPUT_QUEUE_BYTES = 1 << 20;

// The terminal UI (loaded only on a TTY: ink and react are not needed headless). Its keys stop the run;
// SIGTERM and SIGHUP still work as in headless mode.
async function startTui(run: Run, ctx: CliContext): Promise<number> {
  const { renderTui } = await import('../render/tui/render-tui.js');
  const onTerminate = (): void => void run.controls.stop('SIGTERM received');
  const onHangup = (): void => void run.controls.rollingRestart();
  ctx.signals.on('SIGTERM', onTerminate);
  ctx.signals.on('SIGHUP', onHangup);
  const drawn = renderTui(run, { stdout: ctx.stdout as NodeJS.WriteStream, stdin: ctx.stdin });
  try {
    await run.start();
    const code = await drawn;
    if (run.failure) ctx.stderr.write(formatError(run.failure, ctx.colorByDefault));
    return code;
  } catch (error) {
    await drawn;
    throw error;
  } finally {
    ctx.signals.off('SIGTERM', onTerminate);
    ctx.signals.off('SIGHUP', onHangup);
  }
}

// `amnesia start`: runs the formation until Ctrl-C; resolves to the exit code.
export async function startCommand(argv: ParsedArgv, ctx: CliContext): Promise<number> {
  const load = () => planRun(loadAppConfig({ command: 'start', flags: argv.flags, env: ctx.env, cwd: ctx.cwd }), argv.positionals);
  const config = load();
  const { options } = config;
  const run = createRun(config, { reload: load });
  const tui = ctx.stdout.isTTY === true && ctx.stdin.isTTY === true && !(options.headless ?? false) && !ctx.env['CI'];
  if (tui) return startTui(run, ctx);
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
  const onHangup = (): void => {
    run.events.emit({ kind: 'run:signal', signal: 'SIGHUP', action: 'rolling-restart' });
    void run.controls.rollingRestart();
  };
  const onTerminate = (): void => onInterrupt('SIGTERM');
  const onInt = (): void => onInterrupt('SIGINT');
  ctx.signals.on('SIGINT', onInt);
  ctx.signals.on('SIGTERM', onTerminate);
  ctx.signals.on('SIGHUP', onHangup);
  try {
    await run.start();
    const code = await run.finished;
    if (run.failure) ctx.stderr.write(formatError(run.failure, ctx.colorByDefault));
    return code;
  } finally {
    clearInterval(summary);
    renderer.tick(SUMMARY_MS);
    ctx.signals.off('SIGINT', onInt);
    ctx.signals.off('SIGTERM', onTerminate);
    ctx.signals.off('SIGHUP', onHangup);
  }
}
