// A request's body before it is routed: none (the common GET skips a promise round), read whole when small
// (so a failed attempt can be sent again elsewhere, and a recording can keep it), else streamed through.
import type { IncomingMessage } from 'node:http';

/** bodies up to this size are read before sending, so a failed attempt can be sent again elsewhere */
export const REPLAYABLE_BODY = 64 * 1024;

/** the request has no body: nothing to read, so the common GET skips a promise round */
export const hasNoBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] === undefined &&
  (req.headers['content-length'] === undefined || req.headers['content-length'] === '0');

// Reads a small request body so it can be sent again; larger or unsized bodies stream through.
export async function readBody(req: IncomingMessage): Promise<Buffer | 'stream'> {
  if (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > REPLAYABLE_BODY)
    return 'stream';
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
