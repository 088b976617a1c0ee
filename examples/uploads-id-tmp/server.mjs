// STATEFUL: POST /uploads saves the body in the temp dir under a random id and answers with the id in a
// plain-text body (no Location header); GET /uploads/<id> reads it back. The temp dir is private to each
// instance, as on separate hosts.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/uploads') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const id = randomBytes(8).toString('hex');
    await writeFile(join(tmpdir(), `upload-${id}.bin`), Buffer.concat(chunks));
    res
      .writeHead(201, { 'content-type': 'text/plain' })
      .end(`saved ${chunks.length > 0 ? 'your file' : 'an empty file'} as ${id}\n`);
    return;
  }
  const match = /^\/uploads\/([0-9a-f]+)$/.exec(req.url ?? '');
  const data = match && (await readFile(join(tmpdir(), `upload-${match[1]}.bin`)).catch(() => undefined));
  if (!data) res.writeHead(404, { 'content-type': 'text/plain' }).end('no such upload\n');
  else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data);
});
server.listen(Number(process.env.PORT), () => console.log(`uploads-id-tmp on ${process.env.PORT}`));
