import { brief, type Request } from '../detect/evidence.js';
import type { Redactor } from '../detect/redact.js';
import type { RunEvent } from '../events/types.js';
import type { Coverage } from '../report/report.js';

const LAST = 8;

// What the shuffled run's traffic met: hops, requests after a restart, restarts, where WebSocket
// connections went, and the last requests, so that a failed smoke command never stands alone.
export class Traffic {
  #hops = 0;
  #afterRestart = 0;
  #restarts = 0;
  readonly #last: Request[] = [];
  readonly #sockets = new Map<string, number>();
  readonly #names = new Set<string>();

  handle = (event: RunEvent): void => {
    if (event.kind === 'restart:finished' && event.ok) this.#restarts++;
    if (event.kind !== 'request:done') return;
    if (event.hop) this.#hops++;
    if (event.afterRestart) this.#afterRestart++;
    if (event.instance) this.#names.add(event.instance.name);
    if (event.status === 101 && event.instance)
      this.#sockets.set(event.instance.name, (this.#sockets.get(event.instance.name) ?? 0) + 1);
    this.#last.push(event);
    if (this.#last.length > LAST) this.#last.shift();
  };

  instances(): string[] {
    return [...this.#names].sort();
  }

  /** the smoke command's last requests, and where its WebSocket connections went */
  lastRequests(redactor: Redactor): string[] {
    const lines =
      this.#last.length > 0
        ? [
            `its last ${this.#last.length} request${this.#last.length === 1 ? '' : 's'} before it failed:`,
            ...this.#last.map((e) => `  ${brief(redactor, e)}`),
          ]
        : ['it made no request through the router'];
    if (this.#sockets.size > 1) {
      const spread = [...this.#sockets].map(([name, n]) => `${n} on ${name}`).join(', ');
      lines.push(
        `its WebSocket connections were spread over ${this.#sockets.size} instances (${spread}): messages between them cross instances`,
      );
    }
    return lines;
  }

  coverage(): Coverage {
    const warnings: string[] = [];
    if (this.#hops === 0 && this.#names.size < 2)
      warnings.push(
        'every request went to one instance: send more requests, or check that the smoke command keeps its cookies',
      );
    if (this.#restarts === 0)
      warnings.push(
        'no instance was restarted while the traffic ran: lower --restart-every, add --restart-after N, or keep the formation up longer with --duration',
      );
    else if (this.#afterRestart === 0)
      warnings.push(
        'no client came back after a restart of its instance: add --restart-after N so restarts fall between its requests',
      );
    return { hops: this.#hops, afterRestart: this.#afterRestart, restarts: this.#restarts, warnings };
  }
}
