// One request and its answer as the router saw them, in plain data: what `start --record` hands to the HAR
// writer. The router fills it only when recording, so an unrecorded request copies nothing.
import type { AmnesiaMarks, WebSocketMessage } from './har.js';

/** the most of a body (request or response) a recording keeps; the rest is cut and the entry says so */
export const RECORD_BODY_LIMIT = 1024 * 1024;
/** the most messages one WebSocket connection's entry keeps */
export const RECORD_WS_MESSAGES = 10_000;

export interface Exchange {
  /** epoch ms when the request came in */
  startedMs: number;
  /** ms until the response's last byte (a WebSocket: until the handshake's answer) */
  timeMs: number;
  method: string;
  /** as requested: path and query */
  path: string;
  /** the Host the client asked for */
  host: string;
  httpVersion: string;
  /** name, value, name, value... as they came */
  requestHeaders: readonly string[];
  /** undefined: no body; `cut`: it streamed through or passed RECORD_BODY_LIMIT */
  requestBody: Buffer | undefined;
  requestBodyCut: boolean;
  status: number;
  statusText: string;
  responseHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** the response body's first RECORD_BODY_LIMIT bytes, as sent (maybe compressed) */
  responseBody: readonly Buffer[];
  /** every byte of the body, kept or not */
  responseSize: number;
  connection: number;
  marks: AmnesiaMarks;
  webSocket?: { messages: WebSocketMessage[]; dropped: number };
}

/** where the router hands what it recorded */
export interface ExchangeSink {
  add(exchange: Exchange): void;
  /** the file it writes, if any: amnesia's own, never counted as the app's write */
  readonly path?: string;
}
