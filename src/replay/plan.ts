// What `check --replay` will send: the HAR's entries for the app (other hosts skipped and counted, paths
// matching --replay-skip too), each given to a client (the session cookies or Authorization it carried
// when recorded, else its connection), as steps ordered by when they were recorded.
import picomatch from 'picomatch';

import { headerOf, type HarEntry, type HarPair } from '../har/har.js';
import { routePattern } from '../detect/route-pattern.js';
import { sessionCookies } from '../shared/client-id.js';

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
  recorded: { status: number; headers: HarPair[]; text: string | undefined };
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

// The app's origin: where amnesia recorded, else the page's document, else the host most entries went to.
export function appOrigin(entries: readonly HarEntry[]): string {
  const ours = entries.find((e) => e._amnesia !== undefined) ?? entries.find((e) => e._resourceType === 'document');
  if (ours) return originOf(ours.request.url);
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(originOf(e.request.url), (counts.get(originOf(e.request.url)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

export function responseText(entry: HarEntry): string | undefined {
  const { text, encoding } = entry.response.content ?? {};
  if (text === undefined) return undefined;
  return encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text;
}

function requestBody(entry: HarEntry): Buffer | undefined {
  const post = entry.request.postData;
  if (!post) return undefined;
  if (post.text !== undefined) return Buffer.from(post.text, post._encoding === 'base64' ? 'base64' : 'utf8');
  if (post.params)
    return Buffer.from(new URLSearchParams(post.params.map((p): [string, string] => [p.name, p.value])).toString());
  return undefined;
}

// Who sent an entry: a session cookie or Authorization seen before belongs to the client that first had it
// (or was given it by a Set-Cookie); an entry with neither goes with its connection.
export function splitClients(entries: readonly HarEntry[]): number[] {
  const owner = new Map<string, number>();
  let next = 0;
  return entries.map((entry) => {
    const cookies = sessionCookies(headerOf(entry.request.headers, 'cookie')).map(([n, v]) => `c:${n}=${v}`);
    const auth = headerOf(entry.request.headers, 'authorization');
    const keys = auth === undefined ? cookies : [...cookies, `a:${auth}`];
    const known = keys.map((key) => owner.get(key)).find((c) => c !== undefined);
    const set = entry.response.cookies ?? [];
    const given = sessionCookies(set.map((c) => `${c.name}=${c.value}`).join('; ')).map(([n, v]) => `c:${n}=${v}`);
    let client = known;
    if (client === undefined) {
      const connection = entry.connection === undefined ? undefined : `conn:${entry.connection}`;
      client = keys.length === 0 && given.length === 0 && connection !== undefined ? owner.get(connection) : undefined;
      client ??= next++;
      if (keys.length === 0 && given.length === 0 && connection !== undefined) owner.set(connection, client);
    }
    for (const key of [...keys, ...given]) if (!owner.has(key)) owner.set(key, client);
    return client;
  });
}

export function planReplay(all: readonly HarEntry[], skip: readonly string[]): Plan {
  const origin = appOrigin(all);
  const skipped = { otherHosts: 0, globs: 0, unanswered: 0 };
  const skipMatch = skip.length > 0 ? picomatch([...skip], { dot: true }) : undefined;
  const kept = [...all]
    .sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime))
    .filter((entry) => {
      const url = new URL(entry.request.url);
      if (originOf(entry.request.url) !== origin) return void skipped.otherHosts++;
      if (skipMatch?.(url.pathname)) return void skipped.globs++;
      // a request the browser cancelled or that never got an answer (status 0) has nothing to compare
      if (!entry.response.status) return void skipped.unanswered++;
      return true;
    });
  const clients = splitClients(kept);
  const steps = kept.map((entry, index): Step => {
    const url = new URL(entry.request.url);
    const startMs = Date.parse(entry.startedDateTime);
    const messages = entry._webSocketMessages;
    const isWs = entry.response.status === 101 || messages !== undefined;
    const closedAt = entry._amnesia?.closedAt;
    return {
      index,
      client: clients[index] ?? 0,
      method: entry.request.method,
      path: `${url.pathname}${url.search}`,
      headers: entry.request.headers.filter((h) => !NOT_SENT.test(h.name)).map((h) => [h.name, h.value]),
      body: requestBody(entry),
      startMs,
      endMs: startMs + Math.max(0, isWs ? 0 : entry.time),
      recorded: { status: entry.response.status, headers: entry.response.headers ?? [], text: responseText(entry) },
      route: routePattern(entry.request.method, url.pathname),
      ...(isWs
        ? {
            ws: {
              events: (messages ?? []).map((m) => ({ ...m, atMs: m.time * 1000 })),
              closedAtMs: closedAt,
            },
          }
        : {}),
    };
  });
  return { steps, clients: new Set(clients).size, origin, skipped };
}
