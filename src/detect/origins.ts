import { bodyText, type Memory } from './evidence.js';
import { responseIds } from './ids.js';

/** how many recent answers with a body or a Location are kept to look ids up in */
const KEEP = 2000;
const MAX_VERIFIED = 20;

// The responses that handed ids out, looked up only when a request fails: most answers are never read
// again, so each costs a slot in a ring, and the parsing (JSON, HTML, text) is done for the few that a
// 404 or a lost socket.io session points at.
export class Origins {
  readonly #ring: Array<Memory | undefined> = new Array<Memory | undefined>(KEEP);
  #next = 0;

  add(memory: Memory): void {
    if (memory.request.bodySample === undefined && memory.request.location === undefined) return;
    this.#ring[this.#next] = memory;
    this.#next = (this.#next + 1) % KEEP;
  }

  // The first kept response that handed out one of these ids, preferring one on another instance than `uid`.
  find(candidates: readonly string[], uid: number | undefined): { memory: Memory; ids: string[] } | undefined {
    let same: { memory: Memory; ids: string[] } | undefined;
    let verified = 0;
    for (let i = 0; i < KEEP && verified < MAX_VERIFIED; i++) {
      const memory = this.#ring[(this.#next + i) % KEEP];
      if (!memory) continue;
      const { bodySample, location, contentType } = memory.request;
      const hit = candidates.find((id) => bodySample?.includes(id) || location?.includes(id));
      if (hit === undefined) continue;
      verified++;
      const ids = responseIds(contentType, bodyText(memory.request), location);
      const id = candidates.find((c) => ids.includes(c));
      if (id === undefined) continue;
      if (memory.uid !== uid) return { memory, ids: [id] };
      same ??= { memory, ids: [id] };
    }
    return same;
  }
}
