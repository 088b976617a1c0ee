// A tiny web app. It keeps a visit counter in process memory, so amnesia's random router shows
// each instance counting on its own: exactly the kind of hidden state amnesia is built to expose.
import { createServer } from 'node:http';

const instance = process.env.PS ?? 'web';
let visits = 0;

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.end('ok');
    return;
  }
  visits += 1;
  console.log(`${req.method} ${req.url} -> visit ${visits} on this instance`);
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(`Hello from ${instance} (pid ${process.pid}). Visits counted by this instance: ${visits}\n`);
});

server.listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on port ${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
