// An exchange the router recorded, as a HAR 1.2 entry: headers as pairs, cookies and query parsed, bodies
// decompressed and kept as text when they are UTF-8 (else base64), what was cut said in a comment.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

import { parseSetCookie } from '../shared/client-id.js';
import { RECORD_BODY_LIMIT, type Exchange } from './exchange.js';
import type { HarContent, HarEntry, HarPair, HarPostData } from './har.js';

const pairs = (raw: readonly string[]): HarPair[] => {
  const out: HarPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i] ?? '', value: raw[i + 1] ?? '' });
  return out;
};

// loops rather than entries/flatMap: this runs for every recorded request, on the router's thread
const headerPairs = (headers: Exchange['responseHeaders']): HarPair[] => {
  const out: HarPair[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') out.push({ name, value });
    else if (value) for (const v of value) out.push({ name, value: v });
  }
  return out;
};

/** the cookies of a Cookie header */
export const requestCookies = (header: string | undefined): HarPair[] =>
  (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => ({ name: part.slice(0, part.indexOf('=')), value: part.slice(part.indexOf('=') + 1) }));

/** name and value of each Set-Cookie line (attributes left in the line itself, which the headers keep) */
const responseCookies = (lines: string | string[] | undefined): HarPair[] =>
  (lines === undefined ? [] : Array.isArray(lines) ? lines : [lines]).map((line) => {
    const [name, value] = parseSetCookie(line);
    return { name, value };
  });

/** text when the bytes are UTF-8, else base64 */
export function bodyText(bytes: Buffer): { text: string; encoding?: 'base64' } {
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text) === bytes.length && !text.includes('\uFFFD')
    ? { text }
    : { text: bytes.toString('base64'), encoding: 'base64' };
}

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

function content(x: Exchange): HarContent {
  const mimeType = first(x.responseHeaders['content-type']) ?? '';
  const raw = Buffer.concat(x.responseBody);
  const cut = x.responseSize > raw.length;
  const plain = cut ? undefined : decoded(raw, first(x.responseHeaders['content-encoding']));
  if (plain === undefined && raw.length > 0) {
    const comment = cut
      ? `the first ${RECORD_BODY_LIMIT} bytes of ${x.responseSize}, as sent (amnesia's recording limit)`
      : 'as sent: its content-encoding could not be undone';
    return { size: x.responseSize, mimeType, ...bodyText(raw), comment };
  }
  return { size: plain?.length ?? 0, mimeType, ...(plain && plain.length > 0 ? bodyText(plain) : {}) };
}

function postData(x: Exchange, headers: HarPair[]): HarPostData | undefined {
  if (x.requestBody === undefined && !x.requestBodyCut) return undefined;
  const mimeType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  if (x.requestBodyCut) return { mimeType, comment: 'not recorded: streamed through or over the recording limit' };
  const { text, encoding } = bodyText(x.requestBody ?? Buffer.alloc(0));
  const params = mimeType.includes('application/x-www-form-urlencoded')
    ? [...new URLSearchParams(text)].map(([name, value]) => ({ name, value }))
    : undefined;
  return { mimeType, text, ...(encoding ? { _encoding: encoding } : {}), ...(params ? { params } : {}) };
}

/** a path that is already a valid URL's path and query, as nearly every request's is: no URL parse needed */
const PLAIN_PATH = /^\/[\x21-\x7e]*$/;

export function toEntry(x: Exchange): HarEntry {
  const headers = pairs(x.requestHeaders);
  const query = x.path.indexOf('?');
  const location = first(x.responseHeaders['location']);
  const data = postData(x, headers);
  const entry: HarEntry = {
    startedDateTime: new Date(x.startedMs).toISOString(),
    time: Math.round(x.timeMs * 1000) / 1000,
    request: {
      method: x.method,
      url: PLAIN_PATH.test(x.path) ? `http://${x.host}${x.path}` : new URL(x.path, `http://${x.host}`).href,
      httpVersion: `HTTP/${x.httpVersion}`,
      cookies: requestCookies(headers.find((h) => h.name.toLowerCase() === 'cookie')?.value),
      headers,
      queryString:
        query === -1 ? [] : [...new URLSearchParams(x.path.slice(query + 1))].map(([name, value]) => ({ name, value })),
      ...(data ? { postData: data } : {}),
      headersSize: -1,
      bodySize: x.requestBodyCut ? -1 : (x.requestBody?.length ?? 0),
    },
    response: {
      status: x.status,
      statusText: x.statusText,
      httpVersion: 'HTTP/1.1',
      cookies: responseCookies(x.responseHeaders['set-cookie']),
      headers: headerPairs(x.responseHeaders),
      content: content(x),
      redirectURL: location ?? '',
      headersSize: -1,
      bodySize: x.responseSize,
    },
    cache: {},
    timings: { send: 0, wait: Math.round(x.timeMs * 1000) / 1000, receive: 0 },
    connection: String(x.connection),
    _amnesia: x.marks,
  };
  if (x.webSocket) {
    entry._resourceType = 'websocket';
    entry._webSocketMessages = x.webSocket.messages;
  }
  return entry;
}
