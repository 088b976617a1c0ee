// The routes the upload examples share: PUT a file, GET it back. Only where the bytes live differs.
import { createServer } from 'node:http';

export function serveUploads({ save, load, name }) {
  const server = createServer(async (req, res) => {
    const match = /^\/files\/([\w.-]+)$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end('not found\n');
      return;
    }
    if (req.method === 'PUT') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      await save(match[1], Buffer.concat(chunks));
      res.writeHead(201).end('stored\n');
      return;
    }
    const data = await load(match[1]);
    if (data === undefined) res.writeHead(404).end('no such file\n');
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data);
  });
  server.listen(Number(process.env.PORT), () => console.log(`${name} on ${process.env.PORT}`));
  return server;
}
