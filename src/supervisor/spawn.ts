import { execa } from 'execa';
import type { Readable } from 'node:stream';

export interface Child {
  pid: number;
  stdout: Readable;
  stderr: Readable;
  /** settles once the shell has exited; never rejects */
  exited: Promise<{ code: number | null; signal: string | null; error: string | undefined }>;
}

export interface SpawnRequest {
  command: string;
  cwd: string;
  env: Record<string, string>;
}

export type Spawn = (request: SpawnRequest) => Child;

// The only place that starts a child: `/bin/sh -c` in its own process group, output piped, no buffering.
export const spawnShell: Spawn = ({ command, cwd, env }) => {
  const subprocess = execa('/bin/sh', ['-c', command], {
    cwd,
    env,
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    cleanup: false,
    forceKillAfterDelay: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const exited = subprocess.then((result) => ({
    code: result.exitCode ?? null,
    signal: result.signal ?? null,
    error: result.failed && result.exitCode === undefined && result.signal === undefined ? result.originalMessage || result.shortMessage : undefined,
  }));
  return { pid: subprocess.pid ?? -1, stdout: subprocess.stdout, stderr: subprocess.stderr, exited };
};

export interface WatchdogHandle {
  send(line: string): void;
  close(): void;
}

// Starts the watchdog in its own session, so neither Ctrl-C in the terminal nor our death reaches it.
export function spawnWatchdog(script: string): WatchdogHandle {
  const child = execa(process.execPath, [script], {
    detached: true,
    buffer: false,
    reject: false,
    cleanup: false,
    forceKillAfterDelay: false,
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
  });
  child.unref();
  const stdin = child.stdin;
  stdin.on('error', () => undefined);
  (stdin as unknown as { unref?: () => void }).unref?.();
  return {
    send: (line) => {
      if (stdin.writable) stdin.write(`${line}\n`);
    },
    close: () => stdin.end(),
  };
}

export interface ForegroundChild {
  kill(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number; notFound: boolean }>;
}

// A command in our own process group with the terminal passed through (`amnesia run`).
export function runForeground(file: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): ForegroundChild {
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdio: 'inherit',
    reject: false,
    buffer: false,
    cleanup: true,
    forceKillAfterDelay: false,
  });
  const exited = subprocess.then((result) => {
    const notFound = result.exitCode === undefined && result.signal === undefined && /ENOENT/.test(`${result.originalMessage ?? ""} ${result.message}`);
    const signalCode = result.signal ? 128 + (SIGNAL_NUMBERS[result.signal] ?? 1) : 1;
    return { code: result.exitCode ?? signalCode, notFound };
  });
  return { kill: (signal) => subprocess.kill(signal), exited };
}

export const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
