// `check --replay FILE.har`, on the manager's side. The replaying runs in a process of its own, as a smoke
// command does (cli/replay-client.ts): the manager's process holds the formation, the router and the
// findings, not the recording, its cookie jars and three runs of answers. The file is read and planned before
// anything starts (a file that is not HAR is a usage error), then replayed against control A, control B and
// the shuffled formation; what the shuffled run alone answers differently comes back as findings.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { UserError } from '../errors.js';
import { spawnMessenger, type Messenger } from '../supervisor/spawn.js';
import type { RecordingSummary } from '../report/report.js';
import type { ReplayReply, ReplayRequest } from '../replay/client-messages.js';
import type { EventBus } from '../events/bus.js';
import type { ReplayPhase } from '../events/types.js';
import type { PlanSummary } from '../replay/session.js';
import type { Clock } from '../shared/clock.js';
import type { Finding } from '../shared/finding.js';

/** how long the client may take to go once told to */
const CLOSE_WAIT_MS = 2000;

export class ReplayCheck {
  readonly #file: string;
  readonly #child: Messenger;
  readonly #exited: Promise<void>;
  #stderr = '';
  #summary: PlanSummary = { requests: 0, clients: 0, skipped: { otherHosts: 0, globs: 0, unanswered: 0 } };

  private constructor(file: string, script: string, path: string) {
    this.#file = file;
    // the recording on its command line: `ps` says what it replays (the client reads it when told to open)
    this.#child = spawnMessenger(script, [path]);
    this.#child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-4096);
    });
    this.#child.on('error', (error) => void (this.#stderr += error.message));
    // 'exit', not 'close': with the channel closed from this side, Node 20 never emits 'close'
    this.#exited = new Promise((done) => this.#child.once('exit', () => done()));
  }

  /** starts the client and has it read the recording; a file that is not HAR throws its UserError */
  static async open(file: string, cwd: string, skip: readonly string[]): Promise<ReplayCheck> {
    const script = fileURLToPath(new URL('./replay-client.js', import.meta.url));
    const path = resolve(cwd, file);
    const check = new ReplayCheck(file, script, path);
    try {
      const opened = await check.#ask({ kind: 'open', path, shown: file, skip });
      if (opened.kind === 'opened') check.#summary = opened.summary;
      return check;
    } catch (error) {
      await check.close();
      throw error;
    }
  }

  /** one run of the recording against `base`, announced on the run's events */
  async run(phase: ReplayPhase, base: string, bus: EventBus, clock: Clock): Promise<void> {
    const { requests, clients } = this.#summary;
    bus.emit({ kind: 'replay:started', phase, file: this.#file, requests, clients, url: base });
    const started = clock.now();
    await this.#ask({ kind: 'run', phase, base });
    bus.emit({ kind: 'replay:finished', phase, durationMs: clock.now() - started });
  }

  /** the findings (evidence redacted here), and the summary for the report */
  async verdict(
    type: string,
    redact: (text: string) => string,
    hint: string,
  ): Promise<{ findings: Array<Omit<Finding, 'count'>>; summary: RecordingSummary }> {
    const reply = await this.#ask({ kind: 'findings', type, hint });
    const findings = reply.kind === 'findings' ? reply.findings : [];
    return {
      findings: findings.map((f) => ({ ...f, evidence: f.evidence.map(redact) })),
      summary: { file: this.#file, ...this.#summary, diverged: findings.length },
    };
  }

  /** ends the client (its channel closed, it exits), SIGKILL if it does not within 2 s */
  async close(): Promise<void> {
    if (this.#child.connected) this.#child.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((done) => (timer = setTimeout(() => done(true), CLOSE_WAIT_MS)));
    if (await Promise.race([this.#exited.then(() => false), late])) this.#child.kill('SIGKILL');
    clearTimeout(timer);
  }

  // one request at a time: the next reply is this request's
  #ask(request: ReplayRequest): Promise<ReplayReply> {
    return new Promise((resolve, reject) => {
      const gone = (): void => {
        this.#child.off('message', answered);
        reject(new Error(`the replay client ended before answering (${request.kind}): ${this.#stderr.trim()}`));
      };
      const answered = (reply: ReplayReply): void => {
        this.#child.off('exit', gone);
        if (reply.kind !== 'failed') return resolve(reply);
        const { code, message, where, hint } = reply.error;
        reject(
          code === undefined
            ? new Error(`the replay client failed: ${message}`)
            : new UserError(code, message, { ...(where ? { where } : {}), ...(hint ? { hint } : {}) }),
        );
      };
      this.#child.once('message', answered);
      this.#child.once('exit', gone);
      this.#child.send(request, (error) => error && gone());
    });
  }
}
