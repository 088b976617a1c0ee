import type { EventEmitter } from 'node:events';

/** what a command needs from the outside world; main.ts passes the real process */
export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; writableLength?: number };
  stderr: NodeJS.WritableStream;
  /** the terminal, for the TUI's keys */
  stdin: NodeJS.ReadStream;
  /** emits SIGINT, SIGTERM, SIGHUP */
  signals: EventEmitter;
  colorByDefault: boolean;
}
