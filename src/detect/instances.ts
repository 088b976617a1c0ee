import type { RunEvent } from '../events/types.js';

interface Life {
  name: string;
  pid: number | undefined;
  /** why it ended (restarted, stopped, crashed), once it has */
  ended: string | undefined;
}

// Which process each instance uid was, and whether it is gone: the evidence names "web.2 (pid 9120)" and
// says when the state died with a restart.
export class InstanceBook {
  readonly #lives = new Map<number, Life>();
  /** once the run stops, instances end because of that, not of anything the app should survive */
  #stopping = false;

  handle(event: RunEvent): void {
    if (event.kind === 'run:stopping') this.#stopping = true;
    if (this.#stopping) return;
    if (event.kind === 'instance:spawned')
      this.#lives.set(event.uid, { name: event.name, pid: event.pid, ended: undefined });
    else if (event.kind === 'restart:started') this.#end(event.uid, event.name, `restarted (${event.reason})`);
    else if (event.kind === 'instance:exited')
      this.#end(event.uid, event.name, event.state === 'crashed' ? 'crashed' : 'stopped');
  }

  #end(uid: number, name: string, why: string): void {
    const life = this.#lives.get(uid) ?? { name, pid: undefined, ended: undefined };
    life.ended ??= why;
    this.#lives.set(uid, life);
  }

  pid(uid: number): number | undefined {
    return this.#lives.get(uid)?.pid;
  }

  ended(uid: number): string | undefined {
    return this.#lives.get(uid)?.ended;
  }

  /** `web.2 (pid 9120)`, or `web.2 (pid 9120, restarted (scheduled): gone)` */
  describe(uid: number, name: string): string {
    const life = this.#lives.get(uid);
    const pid = life?.pid === undefined ? '' : `pid ${life.pid}`;
    const gone = life?.ended ? `${life.ended}: gone` : '';
    const detail = [pid, gone].filter((part) => part !== '').join(', ');
    return detail ? `${name} (${detail})` : name;
  }
}
