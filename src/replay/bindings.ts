// Dynamic values: a value a recorded response carried (a CSRF token in a hidden field or a meta tag, an id
// in JSON or in a Location, a token in a header or a text body) that a later recorded request sent back (in
// its path, query, body or a header) is bound. On replay, the value the live response carried at the same
// place takes its place in the request. Without this, every CSRF-protected form fails in every run.
import { isUtf8 } from 'node:buffer';

/** where in a response a value was: `h:NAME:i` (the i-th token of a header), `j:$.path` (a JSON leaf),
 *  `j:$.path:i` (a token in it), `f:NAME:n` (the n-th form field of that name), `m:NAME` (a meta tag),
 *  `t:i` (the i-th token of a text body) */
export type Locator = string;

export interface Binding {
  /** the recorded value, as the request carried it */
  value: string;
  /** the step whose response carried it, and where */
  source: number;
  locator: Locator;
}

export interface ResponseLike {
  headers: ReadonlyArray<{ name: string; value: string }>;
  text: string | undefined;
}

const SPLIT = /[^A-Za-z0-9_\-.~+]+/;
/** headers whose values are never sent back as they are */
const NOT_SOURCES =
  /^(date|content-length|content-type|set-cookie|connection|keep-alive|server|vary|cache-control|x-amnesia-instance|age|expires|last-modified)$/i;
const MAX_TEXT = 256 * 1024;

/** worth binding: long and unlike a word (ids and tokens, not "true" or "notes") */
export const distinctive = (value: string): boolean =>
  value.length >= 16 || (value.length >= 6 && /\d/.test(value) && /[A-Za-z]/.test(value)) || /^\d{8,}$/.test(value);

const tokens = (text: string): string[] => text.split(SPLIT).filter(distinctive);

function json(text: string): unknown {
  // engine.io and socket.io packets put a number before their JSON: `0{"sid":...}`, `42["event",...]`
  const start = /^\d*[[{]/.exec(text.trimStart()) ? text.trimStart().replace(/^\d+/, '') : undefined;
  if (start === undefined) return undefined;
  try {
    return JSON.parse(start);
  } catch {
    return undefined;
  }
}

function leaves(value: unknown, path: string, out: Map<Locator, string>): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      leaves(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, out);
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const text = String(value);
  if (distinctive(text)) out.set(`j:${path}`, text);
  if (typeof value === 'string') tokens(text).forEach((t, i) => t !== text && out.set(`j:${path}:${i}`, t));
}

const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

const unescapeHtml = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** every bindable value of a response, by where it was */
export function sources(response: ResponseLike): Map<Locator, string> {
  const out = new Map<Locator, string>();
  for (const { name, value } of response.headers) {
    if (NOT_SOURCES.test(name)) continue;
    tokens(value).forEach((t, i) => out.set(`h:${name.toLowerCase()}:${i}`, t));
  }
  const text = response.text?.slice(0, MAX_TEXT);
  if (text === undefined || text === '') return out;
  const parsed = json(text);
  if (parsed !== undefined) {
    leaves(parsed, '$', out);
    return out;
  }
  if (/<(input|meta)\b/i.test(text)) {
    const seen = new Map<string, number>();
    for (const [tag] of text.matchAll(/<(?:input|meta)\b[^>]*>/gi)) {
      const isMeta = /^<meta/i.test(tag);
      const name = attribute(tag, 'name');
      const value = attribute(tag, isMeta ? 'content' : 'value');
      if (name === undefined || value === undefined || value === '') continue;
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      out.set(isMeta ? `m:${name}` : `f:${name}:${n}`, unescapeHtml(value));
    }
  }
  tokens(text).forEach((t, i) => {
    if (i < 2000) out.set(`t:${i}`, t);
  });
  return out;
}

/** the values a request carries, to look up among what responses gave */
export function carried(path: string, headers: ReadonlyArray<[string, string]>, body: Buffer | undefined): Set<string> {
  const out = new Set<string>();
  const add = (text: string): void => {
    for (const t of tokens(text)) out.add(t);
    let decoded = text;
    try {
      decoded = decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      // not percent-encoded after all
    }
    if (decoded !== text) for (const t of tokens(decoded)) out.add(t);
  };
  add(path);
  for (const [, value] of headers) add(value);
  if (body && body.length <= MAX_TEXT) {
    const text = body.toString('utf8');
    add(text);
    const parsed = json(text);
    if (parsed !== undefined) {
      const leafValues = new Map<Locator, string>();
      leaves(parsed, '$', leafValues);
      for (const v of leafValues.values()) out.add(v);
    } else for (const [, v] of new URLSearchParams(text)) if (distinctive(v)) out.add(v);
  }
  return out;
}

/** learns, step by step in recorded order, which values later requests send back and where they came from */
export class BindingFinder {
  /** value -> per client, the latest step and place that gave it */
  readonly #given = new Map<string, Map<number, { source: number; locator: Locator }>>();

  /** the bindings of one request, before its own response is learnt: the client's own responses first
   *  (another client's copy of a value is a different value on replay), else the latest of any client */
  request(client: number, values: Set<string>): Binding[] {
    const out: Binding[] = [];
    for (const value of values) {
      const byClient = this.#given.get(value);
      if (!byClient) continue;
      const from = byClient.get(client) ?? [...byClient.values()].sort((a, b) => b.source - a.source)[0];
      if (from) out.push({ value, source: from.source, locator: from.locator });
    }
    return out;
  }

  response(step: number, client: number, response: ResponseLike): void {
    this.learn(step, client, sources(response));
  }

  /** what a response carried, as `sources` found it */
  learn(step: number, client: number, given: ReadonlyMap<Locator, string>): void {
    for (const [locator, value] of given) {
      let byClient = this.#given.get(value);
      if (!byClient) this.#given.set(value, (byClient = new Map()));
      const before = byClient.get(client);
      // the first place in a response wins (a token in a form and again in a link is the form's)
      if (before?.source === step) continue;
      byClient.set(client, { source: step, locator });
    }
  }
}

/** the request with every bound value replaced by the one the live response carried */
export function substitute(
  request: { path: string; headers: Array<[string, string]>; body: Buffer | undefined },
  swaps: ReadonlyArray<[recorded: string, live: string]>,
): { path: string; headers: Array<[string, string]>; body: Buffer | undefined } {
  if (swaps.length === 0) return request;
  const swap = (text: string): string => {
    let out = text;
    for (const [from, to] of swaps) {
      if (from === to) continue;
      out = out.split(from).join(to);
      const encodedFrom = encodeURIComponent(from);
      if (encodedFrom !== from) out = out.split(encodedFrom).join(encodeURIComponent(to));
    }
    return out;
  };
  return {
    path: swap(request.path),
    headers: request.headers.map(([name, value]) => [name, swap(value)]),
    body:
      request.body === undefined || !isUtf8(request.body)
        ? request.body
        : Buffer.from(swap(request.body.toString('utf8'))),
  };
}
