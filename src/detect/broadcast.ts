import type { EventOf } from '../events/types.js';
import type { RuleContext } from './context.js';
import { broadcastHint } from './hints.js';
import { routePattern } from './route-pattern.js';

type WsEvent = EventOf<'ws:message'>;

interface Connection {
  type: string;
  uid: number;
  name: string;
  path: string;
  opened: number;
  closed: number;
  /** when the server sent it something: time, and place in the order of events */
  out: Array<{ at: number; seq: number }>;
  /** when its client sent something */
  sentAt: number[];
}

/** a message "reached" another connection if that one got something this soon after */
export const REACH_MS = 1000;
const MAX_MESSAGES = 5000;
/** messages sent while peers were open only elsewhere, none of which reached them, before it is a finding */
const MIN_CROSSING = 2;

/** per route: messages sent while other connections were open, and how many of them reached another */
export type BroadcastProfile = Map<string, { sent: number; reached: number }>;

// Broadcasts that stop at the instance's edge (rooms kept in memory). What a client's message should reach
// is learnt where every connection shares one instance (the control run, or same-instance peers); a route
// that fans out there, but whose messages never reach a connection on another instance here, keeps its
// rooms in one process.
export class Broadcasts {
  readonly #connections = new Map<number, Connection>();
  readonly #sent: Array<{ connection: number; at: number; seq: number }> = [];
  #seq = 0;

  handle(e: WsEvent, at: number): void {
    let c = this.#connections.get(e.connection);
    if (!c) {
      if (this.#connections.size >= MAX_MESSAGES) return;
      c = {
        type: e.type,
        uid: e.instance.uid,
        name: e.instance.name,
        path: routePattern('GET', e.path),
        opened: at,
        closed: Infinity,
        out: [],
        sentAt: [],
      };
      this.#connections.set(e.connection, c);
    }
    const seq = ++this.#seq;
    if (e.direction === 'close') c.closed = Math.min(c.closed, at);
    else if (e.direction === 'out' && c.out.length < MAX_MESSAGES) c.out.push({ at, seq });
    else if (e.direction === 'in' && this.#sent.length < MAX_MESSAGES) {
      this.#sent.push({ connection: e.connection, at, seq });
      c.sentAt.push(at);
    }
  }

  // Every client message with the connections open around it, split by where they were, and the ones it
  // reached: a message to a connection is put down to that connection's own latest message if nothing has
  // answered it yet, else to the latest client message on the route before it (within REACH_MS), so
  // neither a client's own echo nor the answer to its request is taken for a broadcast it received.
  #messages(): Array<{
    from: Connection;
    at: number;
    seq: number;
    same: Connection[];
    elsewhere: Connection[];
    reached: Set<Connection>;
  }> {
    const all = [...this.#connections.values()];
    const messages = this.#sent.flatMap(({ connection, at, seq }) => {
      const from = this.#connections.get(connection);
      if (!from) return [];
      const peers = all.filter(
        (c) => c !== from && c.type === from.type && c.path === from.path && c.opened <= at && c.closed >= at,
      );
      return [
        {
          from,
          at,
          seq,
          same: peers.filter((p) => p.uid === from.uid),
          elsewhere: peers.filter((p) => p.uid !== from.uid),
          reached: new Set<Connection>(),
        },
      ];
    });
    for (const c of all) {
      let answered = 0;
      for (const out of c.out) {
        let cause: (typeof messages)[number] | undefined;
        let own: (typeof messages)[number] | undefined;
        for (const m of messages) {
          if (m.from.path !== c.path || m.from.type !== c.type || m.seq >= out.seq || out.at - m.at > REACH_MS)
            continue;
          cause = m;
          if (m.from === c) own = m;
        }
        // the first thing a connection gets after its own message answers that message, even when another
        // connection's message came in between ("joined" after a join, while the room already talks)
        if (own && own.seq > answered) {
          answered = own.seq;
          cause = own;
        }
        cause?.reached.add(c);
      }
    }
    return messages;
  }

  /** what fans out where every peer shares the sender's instance */
  profile(): BroadcastProfile {
    const profile: BroadcastProfile = new Map();
    for (const m of this.#messages()) {
      if (m.same.length === 0 || m.elsewhere.length > 0) continue;
      const p = profile.get(m.from.path) ?? { sent: 0, reached: 0 };
      p.sent++;
      if (m.same.some((peer) => m.reached.has(peer))) p.reached++;
      profile.set(m.from.path, p);
    }
    return profile;
  }

  // Raises broadcast-lost for routes that fan out in `learnt` (or in this run's same-instance traffic) but
  // whose messages never reached a connection on another instance.
  finish(ctx: RuleContext, learnt: BroadcastProfile | undefined): void {
    const baseline = learnt ?? this.profile();
    const crossing = new Map<
      string,
      { sent: number; reached: number; example: { from: Connection; elsewhere: Connection[] } }
    >();
    for (const m of this.#messages()) {
      // only peers taking part around then count: an idle connection may be in another room
      if (!m.elsewhere.some((peer) => active(peer, m.at))) continue;
      const c = crossing.get(m.from.path) ?? { sent: 0, reached: 0, example: m };
      c.sent++;
      if (m.elsewhere.some((peer) => m.reached.has(peer))) c.reached++;
      crossing.set(m.from.path, c);
    }
    for (const [path, c] of crossing) {
      const base = baseline.get(path);
      if (!base || base.reached === 0 || c.sent < MIN_CROSSING || c.reached > 0) continue;
      const { from, elsewhere } = c.example;
      const others = [...new Set(elsewhere.map((p) => p.name))];
      ctx.raise({
        kind: 'broadcast-lost',
        type: from.type,
        instances: [from.name, ...others],
        route: `${path} (WebSocket)`,
        evidence: [
          `${learnt ? 'in the control run (one instance)' : 'between connections on one instance'}, ${base.reached} of ${base.sent} client messages on this route reached another open connection within ${REACH_MS} ms`,
          `here, ${c.sent} message${c.sent === 1 ? '' : 's'} sent on ${from.name} while connections were open on ${others.join(', ')}: none of those received anything`,
        ],
        hint: broadcastHint(ctx.stack),
        state: 'a WebSocket room (the subscribers to deliver to)',
        heldBy: `${ctx.instances.describe(from.uid, from.name)}: it delivers only to its own connections`,
      });
    }
  }
}

/** a peer that closed this soon after a message was leaving (the last round of a conversation saying
 *  goodbye while the next one starts): nothing was owed to it */
export const STAYED_MS = 200;

/** the peer's client spoke within REACH_MS of this moment, before or after, and stayed to listen */
const active = (peer: Connection, at: number): boolean =>
  peer.closed - at >= STAYED_MS && peer.sentAt.some((t) => Math.abs(t - at) <= REACH_MS);
