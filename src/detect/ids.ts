// Which ids a response handed to its client, wherever it put them: a Location header, a JSON leaf, a link
// in HTML, a token in plain text. A later request whose path carries one of them is about that object.

const ID_KEY = /(^|[_-])(id|uuid|guid|key|slug|sid|ref|token|handle|name|filename|file|path|url|href|location|link)$/i;
const ID_LIKE = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._~-]{2,127}$|^[0-9a-f]{8,}$/i;
const PATH_LIKE = /^(?:https?:\/\/[^/\s]+)?(\/[^\s"'<>?#]*)/;
const HTML_LINK = /\b(?:href|src|action)\s*=\s*["']([^"']+)["']/gi;
const TEXT_TOKEN = /\/[^\s"'<>?#]+|[A-Za-z0-9][A-Za-z0-9._~-]{2,127}/g;
const MAX_IDS = 64;

/** the path segments of a URL or path that look like ids (never the bare words of a route, e.g. `files`) */
export function pathIds(url: string): string[] {
  return pathSegments(url).filter((segment) => ID_LIKE.test(segment));
}

/** every decoded segment of a URL's path */
export function pathSegments(url: string): string[] {
  const path = PATH_LIKE.exec(url)?.[1];
  if (!path) return [];
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => safeDecode(segment));
}

// Ids found in one response; each at most once, at most MAX_IDS of them.
export function responseIds(
  contentType: string | undefined,
  body: string | undefined,
  location: string | undefined,
): string[] {
  const found = new Set<string>();
  const add = (id: string): void => {
    if (found.size < MAX_IDS && id.length <= 128) found.add(id);
  };
  if (location) for (const id of pathIds(location)) add(id);
  if (body) {
    const json = parseJson(contentType, body);
    if (json !== undefined) jsonIds(json, '', add);
    else if (/html|xml/i.test(contentType ?? ''))
      for (const match of body.matchAll(HTML_LINK)) for (const id of pathIds(match[1] ?? '')) add(id);
    else textIds(body, add);
  }
  return [...found];
}

function textIds(body: string, add: (id: string) => void): void {
  for (const [token] of body.matchAll(TEXT_TOKEN)) {
    if (token.startsWith('/')) for (const id of pathIds(token)) add(id);
    else if (ID_LIKE.test(token)) add(token);
  }
}

// JSON bodies, also behind a short prefix (engine.io's handshake is `0{"sid":...}`).
function parseJson(contentType: string | undefined, body: string): unknown {
  const start = body.search(/[[{]/);
  if (start === -1 || start > 8) return undefined;
  if (start > 0 && !/^\d+$/.test(body.slice(0, start))) return undefined;
  if (start === 0 && contentType !== undefined && !/json|text\/plain|javascript/i.test(contentType)) return undefined;
  try {
    return JSON.parse(body.slice(start));
  } catch {
    return undefined;
  }
}

function jsonIds(value: unknown, key: string, add: (id: string) => void): void {
  if (Array.isArray(value)) for (const item of value) jsonIds(item, key, add);
  else if (value !== null && typeof value === 'object')
    for (const [k, child] of Object.entries(value)) jsonIds(child, k, add);
  else if (typeof value === 'number' && ID_KEY.test(key) && Number.isInteger(value)) add(String(value));
  else if (typeof value === 'string') {
    if (value.startsWith('/') || /^https?:\/\//.test(value)) for (const id of pathIds(value)) add(id);
    if (ID_KEY.test(key) ? /^[^\s/]{3,128}$/.test(value) : ID_LIKE.test(value)) add(value);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
