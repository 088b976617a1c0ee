// The only module that starts processes. Instances and the watchdog use node:child_process directly: they
// need nothing execa adds (we own signals through process groups), and importing execa costs ~120 ms at
// every start on this class of machine (bench:logs). `amnesia run` loads execa lazily.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { signalExitCode } from '../shared/signals.js';

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

// A child that never ran: no process, no output, an exit that carries why.
export function exitedAtOnce(error: string): Child {
  const ended = (): Readable => Readable.from([]);
  return { pid: -1, stdout: ended(), stderr: ended(), exited: Promise.resolve({ code: null, signal: null, error }) };
}

// `/bin/sh -c` in its own process group (pgid = pid), output piped.
// A spawn that fails at once (E2BIG: an argument or variable over the kernel's limit) throws in Node
// instead of emitting 'error': it becomes a child that has already exited with that error.
export const spawnShell: Spawn = ({ command, cwd, env }) => {
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('/bin/sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return exitedAtOnce((error as Error).message);
  }
  const exited = new Promise<{ code: number | null; signal: string | null; error: string | undefined }>((resolve) => {
    let error: string | undefined;
    child.once('error', (e) => {
      error = e.message;
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
    child.once('exit', (code, signal) => resolve({ code, signal, error }));
  });
  // stdio is 'pipe', so both streams exist
  return { pid: child.pid ?? -1, stdout: child.stdout as Readable, stderr: child.stderr as Readable, exited };
};

export interface WatchdogHandle {
  send(line: string): void;
  close(): void;
}

// Starts the watchdog script in its own session, so neither Ctrl-C in the terminal nor our death reaches it.
export function spawnWatchdog(script: string): WatchdogHandle {
  const child = spawn('/bin/sh', [script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.unref();
  child.on('error', () => undefined);
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
export async function runForeground(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<ForegroundChild> {
  const { execa } = await import('execa');
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
    const notFound =
      result.exitCode === undefined &&
      result.signal === undefined &&
      /ENOENT/.test(`${result.originalMessage ?? ''} ${result.message}`);
    const signalCode = result.signal ? signalExitCode(result.signal) : 1;
    return { code: result.exitCode ?? signalCode, notFound };
  });
  return { kill: (signal) => subprocess.kill(signal), exited };
}

export interface SmokeProcess {
  pid: number;
  exited: Promise<number>;
  kill(): void;
}

// The smoke command of `amnesia check`: through /bin/sh in its own group, output handed to onOutput.
export function spawnSmoke(
  command: string,
  options: { cwd: string; env: Record<string, string>; onOutput: (data: Buffer) => void },
): SmokeProcess {
  const child = spawn('/bin/sh', ['-c', command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', options.onOutput);
  child.stderr.on('data', options.onOutput);
  const exited = new Promise<number>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('close', (code, signal) => resolve(code ?? (signal ? signalExitCode(signal) : 129)));
  });
  return {
    pid: child.pid ?? -1,
    exited,
    kill: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

// `ps` with these arguments, its standard output (empty if ps is missing or fails): the process table where
// there is no /proc (macOS).
export function listProcesses(args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('ps', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? '' : stdout),
    );
  });
}

export interface TiedChild {
  pid: number;
  /** settles when it has exited, with its code (128 + n for a signal) */
  exited: Promise<number>;
  /** what it wrote to stdout (its first 64 KB) and to stderr (its last 4 KB) */
  stdout(): string;
  stderr(): string;
  /** SIGTERM to its group: a graceful end */
  stop(): void;
}

// A script of amnesia's own talked to over an IPC channel (`check --replay`'s client), as spawnTied's below
export type Messenger = ChildProcess;
export const spawnMessenger = (script: string, args: readonly string[]): Messenger =>
  spawn(process.execPath, [script, ...args], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });

// A Node.js script of amnesia's own (the UI's `L` runs `amnesia load`) in a group of its own, tied to this
// process by an IPC channel: when the manager goes, however it goes (SIGKILL included), the channel closes
// and the child ends itself. Neither the child nor its channel keeps the manager alive.
export function spawnTied(script: string, args: readonly string[], env: Record<string, string | undefined>): TiedChild {
  const child = spawn(process.execPath, [script, ...args], {
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let head = '';
  let tail = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => void (head = (head + text).slice(0, 65_536)));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => void (tail = (tail + text).slice(-4096)));
  child.unref();
  child.channel?.unref();
  const exited = new Promise<number>((resolve) => {
    child.once('error', (error) => ((tail += error.message), resolve(127)));
    child.once('close', (code, signal) => resolve(code ?? (signal ? signalExitCode(signal) : 129)));
  });
  return {
    pid: child.pid ?? -1,
    exited,
    stdout: () => head,
    stderr: () => tail,
    stop: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
