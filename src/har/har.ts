// HAR 1.2, the part amnesia writes and reads: what browsers' DevTools export and Playwright's recordHar
// write (http://www.softwareishard.com/blog/har-12-spec/). Fields starting with `_` are extensions: Chrome's
// `_webSocketMessages` and `_resourceType`, Playwright's `_file`, amnesia's `_amnesia`.

export interface HarPair {
  name: string;
  value: string;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  params?: Array<HarPair & { fileName?: string; contentType?: string }>;
  /** amnesia's: "base64" when `text` holds bytes that are not UTF-8 */
  _encoding?: string;
  /** Playwright's `content: "attach"`: the body is in this file, beside the HAR */
  _file?: string;
  comment?: string;
}

export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  encoding?: string;
  _file?: string;
  comment?: string;
}

export interface WebSocketMessage {
  type: 'send' | 'receive';
  /** seconds since the epoch, fractional */
  time: number;
  /** 1 text, 2 binary (base64 in `data`) */
  opcode: number;
  data: string;
}

/** what amnesia adds to an entry it recorded */
export interface AmnesiaMarks {
  type: string;
  /** the instance that answered; undefined when none could */
  instance: string | undefined;
  /** the client's previous request went to another instance */
  hop: boolean;
  /** the client's previous instance had been restarted or stopped since */
  afterRestart: boolean;
  retried: boolean;
  error?: string;
  /** the request body was not kept whole (over the limit, or streamed) */
  requestBodyCut?: boolean;
  /** when a WebSocket closed (epoch ms): the connection's messages end here */
  closedAt?: number;
}

export interface HarEntry {
  startedDateTime: string;
  /** ms from the request's start to the response's end (for a WebSocket: to the handshake's end) */
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarPair[];
    headers: HarPair[];
    queryString: HarPair[];
    postData?: HarPostData;
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarPair[];
    headers: HarPair[];
    content: HarContent;
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** entries sent on one TCP connection share it */
  connection?: string;
  _resourceType?: string;
  _webSocketMessages?: WebSocketMessage[];
  _amnesia?: AmnesiaMarks;
}

export interface Har {
  log: {
    version: string;
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment?: string;
  };
}

/** a header's value by name (case-insensitive), the first of several */
export const headerOf = (headers: readonly HarPair[], name: string): string | undefined => {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
};
