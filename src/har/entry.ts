// An exchange the router recorded, as the JSON text of a HAR 1.2 entry: headers as pairs, cookies and query
// parsed, bodies decompressed and kept as text when they are UTF-8 (else base64), what was cut said in a
// comment. Written out by hand rather than built as an object for JSON.stringify: this runs for every
// recorded request on the router's thread, and V8's generic stringifier (a property lookup and a toJSON
// check for every value) was 45,000 of the 98,000 instructions recording added to a request.
import { isUtf8 } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

import { parseSetCookie } from '../shared/client-id.js';
import { RECORD_BODY_LIMIT, type Exchange } from './exchange.js';
import type { AmnesiaMarks, HarPostData } from './har.js';

/** what JSON must escape: quotes, backslashes, control characters, and surrogates (a lone one is escaped; a
 *  pair is left to JSON.stringify too). Nearly every header, path and hello-world body has none. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON must escape
const ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string): string => (ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');
const pair = (name: string, value: string): string => `{"name":${str(name)},"value":${str(value)}}`;

/** name, value, name, value... as pairs */
function rawPairs(raw: readonly string[]): string {
  let out = '';
  for (let i = 0; i + 1 < raw.length; i += 2) out += `${i === 0 ? '' : ','}${pair(raw[i] ?? '', raw[i + 1] ?? '')}`;
  return `[${out}]`;
}

function headerPairs(headers: Exchange['responseHeaders']): string {
  let out = '';
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') out += `${out === '' ? '' : ','}${pair(name, value)}`;
    else if (value) for (const v of value) out += `${out === '' ? '' : ','}${pair(name, v)}`;
  }
  return `[${out}]`;
}

const pairList = (pairs: Iterable<readonly [string, string]>): string => {
  let out = '';
  for (const [name, value] of pairs) out += `${out === '' ? '' : ','}${pair(name, value)}`;
  return `[${out}]`;
};

/** the first value of a raw header (case-insensitive) */
function rawHeader(raw: readonly string[], lower: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === lower.length && name.toLowerCase() === lower) return raw[i + 1];
  }
  return undefined;
}

/** the cookies of a Cookie header */
function requestCookies(header: string | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1) out.push([part.slice(0, eq).trimStart(), part.slice(eq + 1).trimEnd()]);
  }
  return out;
}

/** name and value of each Set-Cookie line (attributes left in the line itself, which the headers keep) */
const responseCookies = (lines: string | string[] | undefined): Array<[string, string]> =>
  (lines === undefined ? [] : Array.isArray(lines) ? lines : [lines]).map(parseSetCookie);

/** text when the bytes are UTF-8, else base64 */
export function bodyText(bytes: Buffer): { text: string; encoding?: 'base64' } {
  return isUtf8(bytes) ? { text: bytes.toString('utf8') } : { text: bytes.toString('base64'), encoding: 'base64' };
}

const textJson = (bytes: Buffer): string => {
  const { text, encoding } = bodyText(bytes);
  return `"text":${str(text)}${encoding ? `,"encoding":"${encoding}"` : ''}`;
};

/** the body as the client read it: gzip, deflate and br undone (a cut body cannot be, and stays as sent) */
export function decoded(body: Buffer, contentEncoding: string | undefined): Buffer | undefined {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
    if (encoding === 'deflate') return inflateSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
  } catch {
    return undefined;
  }
  return encoding === '' || encoding === 'identity' ? body : undefined;
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function content(x: Exchange): string {
  const mimeType = str(first(x.responseHeaders['content-type']) ?? '');
  const raw = x.responseBody.length === 1 ? (x.responseBody[0] ?? Buffer.alloc(0)) : Buffer.concat(x.responseBody);
  const cut = x.responseSize > raw.length;
  const plain = cut ? undefined : decoded(raw, first(x.responseHeaders['content-encoding']));
  if (plain === undefined && raw.length > 0) {
    const comment = cut
      ? `the first ${RECORD_BODY_LIMIT} bytes of ${x.responseSize}, as sent (amnesia's recording limit)`
      : 'as sent: its content-encoding could not be undone';
    return `{"size":${num(x.responseSize)},"mimeType":${mimeType},${textJson(raw)},"comment":${str(comment)}}`;
  }
  const text = plain && plain.length > 0 ? `,${textJson(plain)}` : '';
  return `{"size":${plain?.length ?? 0},"mimeType":${mimeType}${text}}`;
}

function postData(x: Exchange): HarPostData | undefined {
  if (x.requestBody === undefined && !x.requestBodyCut) return undefined;
  const mimeType = rawHeader(x.requestHeaders, 'content-type') ?? '';
  if (x.requestBodyCut) return { mimeType, comment: 'not recorded: streamed through or over the recording limit' };
  const { text, encoding } = bodyText(x.requestBody ?? Buffer.alloc(0));
  const params = mimeType.includes('application/x-www-form-urlencoded')
    ? [...new URLSearchParams(text)].map(([name, value]) => ({ name, value }))
    : undefined;
  return { mimeType, text, ...(encoding ? { _encoding: encoding } : {}), ...(params ? { params } : {}) };
}

function marks(m: AmnesiaMarks): string {
  let out = `{"type":${str(m.type)}`;
  if (m.instance !== undefined) out += `,"instance":${str(m.instance)}`;
  out += `,"hop":${m.hop},"afterRestart":${m.afterRestart},"retried":${m.retried}`;
  if (m.error !== undefined) out += `,"error":${str(m.error)}`;
  if (m.requestBodyCut !== undefined) out += `,"requestBodyCut":${m.requestBodyCut}`;
  if (m.closedAt !== undefined) out += `,"closedAt":${num(m.closedAt)}`;
  return `${out}}`;
}

/** "000" to "999": a time's milliseconds, a duration's thousandths */
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** a duration in ms to the microsecond, written from integers (a double's shortest text cost the router ~1 µs
 *  a request) */
function millis(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us <= Number.MAX_SAFE_INTEGER)) return num(us / 1000);
  const whole = Math.trunc(us / 1000);
  const part = us - whole * 1000;
  return part === 0 ? String(whole) : `${whole}.${THREE[part]}`;
}

/** `new Date(ms).toISOString()`, from the last second's text: formatting a date whole was 7,500 instructions */
const iso = { second: NaN, prefix: '' };
function isoTime(ms: number): string {
  const whole = Math.trunc(ms);
  const second = Math.floor(whole / 1000);
  if (second !== iso.second) {
    const text = new Date(second * 1000).toISOString();
    iso.second = second;
    iso.prefix = text.slice(0, -4); // up to the '.' before the milliseconds
  }
  return `${iso.prefix}${THREE[whole - second * 1000]}Z`;
}

/** a path that is already a valid URL's path and query, as nearly every request's is: no URL parse needed */
const PLAIN_PATH = /^\/[\x21-\x7e]*$/;

/** the entry's JSON text */
export function entryJson(x: Exchange): string {
  const query = x.path.indexOf('?');
  const url = PLAIN_PATH.test(x.path) ? `http://${x.host}${x.path}` : new URL(x.path, `http://${x.host}`).href;
  const data = postData(x);
  const time = millis(x.timeMs);
  const request =
    `{"method":${str(x.method)},"url":${str(url)},"httpVersion":${str(`HTTP/${x.httpVersion}`)},` +
    `"cookies":${pairList(requestCookies(rawHeader(x.requestHeaders, 'cookie')))},` +
    `"headers":${rawPairs(x.requestHeaders)},` +
    `"queryString":${query === -1 ? '[]' : pairList(new URLSearchParams(x.path.slice(query + 1)))},` +
    `${data ? `"postData":${JSON.stringify(data)},` : ''}` +
    `"headersSize":-1,"bodySize":${x.requestBodyCut ? -1 : (x.requestBody?.length ?? 0)}}`;
  const response =
    `{"status":${num(x.status)},"statusText":${str(x.statusText)},"httpVersion":"HTTP/1.1",` +
    `"cookies":${pairList(responseCookies(x.responseHeaders['set-cookie']))},` +
    `"headers":${headerPairs(x.responseHeaders)},"content":${content(x)},` +
    `"redirectURL":${str(first(x.responseHeaders['location']) ?? '')},` +
    `"headersSize":-1,"bodySize":${num(x.responseSize)}}`;
  const ws = x.webSocket
    ? `,"_resourceType":"websocket","_webSocketMessages":${JSON.stringify(x.webSocket.messages)}`
    : '';
  return (
    `{"startedDateTime":"${isoTime(x.startedMs)}","time":${time},"request":${request},"response":${response},` +
    `"cache":{},"timings":{"send":0,"wait":${time},"receive":0},"connection":"${x.connection}",` +
    `"_amnesia":${marks(x.marks)}${ws}}`
  );
}
