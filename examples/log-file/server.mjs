// A log file under the app root (gitignored, as most apps do): nothing a user sees is lost, but on a real
// platform the file stays on one host and fills its disk, and nobody reads it. amnesia notes it; it does
// not fail the check.
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';

mkdirSync('log', { recursive: true });
const server = createServer((req, res) => {
  appendFileSync(
    'log/development.log',
    `${new Date().toISOString()} ${process.env.AMNESIA_INSTANCE} ${req.method} ${req.url}\n`,
  );
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
});
server.listen(Number(process.env.PORT), () => console.log(`log-file on ${process.env.PORT}`));
