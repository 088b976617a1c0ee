// What `check --replay` will send: the HAR's entries for the app (other hosts skipped and counted, paths
// matching --replay-skip too), each given to a client (the session cookies or Authorization it carried
// when recorded, else its connection), as steps ordered by when they were recorded. Built entry by entry as
// the file is read: a recorded response's body is kept only as the values a later request may send back.
import picomatch from 'picomatch';

import { headerOf, type HarEntry } from '../har/har.js';
import { routePattern } from '../detect/route-pattern.js';
import { sessionCookies } from '../shared/client-id.js';
import { sources, type Locator } from './bindings.js';

export interface WsEvent {
  type: 'send' | 'receive';
  /** epoch ms */
  atMs: number;
  opcode: number;
  data: string;
}

export interface Step {
  index: number;
  client: number;
  method: string;
  /** path and query */
  path: string;
  /** as recorded, less what the connection or the cookie jar decides (host, cookie, content-length...) */
  headers: Array<[string, string]>;
  body: Buffer | undefined;
  /** epoch ms: when the request started and when its response ended (a WebSocket: its handshake) */
  startMs: number;
  endMs: number;
  /** the recorded response's status, and the values it carried that a later request may send back (let go
   *  once the bindings are found) */
  status: number;
  given: Map<Locator, string> | undefined;
  /** `METHOD /pattern`, as findings name routes */
  route: string;
  ws?: { events: WsEvent[]; closedAtMs: number | undefined };
}

export interface Plan {
  steps: Step[];
  clients: number;
  origin: string;
  skipped: { otherHosts: number; globs: number; unanswered: number };
}

/** not sent as recorded: the connection, the jar and the body decide them (HTTP/2 pseudo-headers too) */
const NOT_SENT =
  /^(:.*|host|connection|keep-alive|proxy-connection|transfer-encoding|upgrade|te|trailer|content-length|cookie|accept-encoding|sec-websocket-.*)$/i;

const originOf = (url: string): string => {
  const u = new URL(url);
  const scheme = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  return `${scheme}//${u.host}`;
};

export function responseText(entry: HarEntry): string | undefined {
  const { text, encoding } = entry.response.content ?? {};
  if (text === undefined) return undefined;
  return encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text;
}

// a body kept for the whole replay owns its bytes: a small Buffer is a slice of Node's shared 8 KB pool, and
// would keep the slab (and whatever else was cut from it) alive with it
function owned(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(out);
  return out;
}

function requestBody(entry: HarEntry): Buffer | undefined {
  const post = entry.request.postData;
  if (!post) return undefined;
  if (post.text !== undefined) return owned(Buffer.from(post.text, post._encoding === 'base64' ? 'base64' : 'utf8'));
  if (post.params)
    return owned(
      Buffer.from(new URLSearchParams(post.params.map((p): [string, string] => [p.name, p.value])).toString()),
    );
  return undefined;
}

/** what names an entry's client: the session cookies and Authorization it sent, the session cookies its
 *  response set, its connection */
interface Identity {
  keys: string[];
  given: string[];
  connection: string | undefined;
}

function identity(entry: HarEntry): Identity {
  const cookies = sessionCookies(headerOf(entry.request.headers, 'cookie')).map(([n, v]) => `c:${n}=${v}`);
  const auth = headerOf(entry.request.headers, 'authorization');
  const set = entry.response.cookies ?? [];
  return {
    keys: auth === undefined ? cookies : [...cookies, `a:${auth}`],
    given: sessionCookies(set.map((c) => `${c.name}=${c.value}`).join('; ')).map(([n, v]) => `c:${n}=${v}`),
    connection: entry.connection === undefined ? undefined : `conn:${entry.connection}`,
  };
}

// Who sent an entry: a session cookie or Authorization seen before belongs to the client that first had it
// (or was given it by a Set-Cookie); an entry with neither goes with its connection.
function splitIdentities(ids: readonly Identity[]): number[] {
  const owner = new Map<string, number>();
  let next = 0;
  return ids.map(({ keys, given, connection }) => {
    const anonymous = keys.length === 0 && given.length === 0 && connection !== undefined;
    let client = keys.map((key) => owner.get(key)).find((c) => c !== undefined);
    if (client === undefined) {
      client = anonymous ? owner.get(connection) : undefined;
      client ??= next++;
      if (anonymous) owner.set(connection, client);
    }
    for (const key of [...keys, ...given]) if (!owner.has(key)) owner.set(key, client);
    return client;
  });
}

export const splitClients = (entries: readonly HarEntry[]): number[] => splitIdentities(entries.map(identity));

/** one entry as the plan needs it: its response's body is read for values to bind, then let go */
interface Taken {
  origin: string;
  /** 2: recorded by amnesia, 1: the page's document, 0: other */
  rank: number;
  pathname: string;
  identity: Identity;
  step: Omit<Step, 'index' | 'client'>;
}

// Builds a plan entry by entry, as the file is read: nothing of a recorded response is kept but the values a
// later request may send back.
export class Planner {
  readonly #taken: Taken[] = [];

  add(entry: HarEntry): void {
    const url = new URL(entry.request.url);
    const startMs = Date.parse(entry.startedDateTime);
    const messages = entry._webSocketMessages;
    const isWs = entry.response.status === 101 || messages !== undefined;
    const closedAt = entry._amnesia?.closedAt;
    this.#taken.push({
      origin: originOf(entry.request.url),
      rank: entry._amnesia !== undefined ? 2 : entry._resourceType === 'document' ? 1 : 0,
      pathname: url.pathname,
      identity: identity(entry),
      step: {
        method: entry.request.method,
        path: `${url.pathname}${url.search}`,
        headers: entry.request.headers.filter((h) => !NOT_SENT.test(h.name)).map((h) => [h.name, h.value]),
        body: requestBody(entry),
        startMs,
        endMs: startMs + Math.max(0, isWs ? 0 : entry.time),
        status: entry.response.status,
        given: sources({ headers: entry.response.headers ?? [], text: responseText(entry) }),
        route: routePattern(entry.request.method, url.pathname),
        ...(isWs
          ? { ws: { events: (messages ?? []).map((m) => ({ ...m, atMs: m.time * 1000 })), closedAtMs: closedAt } }
          : {}),
      },
    });
  }

  plan(skip: readonly string[]): Plan {
    const origin = appOrigin(this.#taken);
    const skipped = { otherHosts: 0, globs: 0, unanswered: 0 };
    const skipMatch = skip.length > 0 ? picomatch([...skip], { dot: true }) : undefined;
    const kept = [...this.#taken]
      .sort((a, b) => a.step.startMs - b.step.startMs)
      .filter((t) => {
        if (t.origin !== origin) return void skipped.otherHosts++;
        if (skipMatch?.(t.pathname)) return void skipped.globs++;
        // a request the browser cancelled or that never got an answer (status 0) has nothing to compare
        if (!t.step.status) return void skipped.unanswered++;
        return true;
      });
    const clients = splitIdentities(kept.map((t) => t.identity));
    const steps = kept.map((t, index): Step => ({ index, client: clients[index] ?? 0, ...t.step }));
    return { steps, clients: new Set(clients).size, origin, skipped };
  }
}

// The app's origin: where amnesia recorded, else the page's document, else the host most entries went to.
function appOrigin(taken: readonly Taken[]): string {
  const ours = taken.find((t) => t.rank === 2) ?? taken.find((t) => t.rank === 1);
  if (ours) return ours.origin;
  const counts = new Map<string, number>();
  for (const { origin } of taken) counts.set(origin, (counts.get(origin) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

export function planReplay(all: readonly HarEntry[], skip: readonly string[]): Plan {
  const planner = new Planner();
  for (const entry of all) planner.add(entry);
  return planner.plan(skip);
}
