// A web app whose every request costs a few milliseconds of CPU (WORK_MS, default 5): one instance can
// answer at most about 1000 / WORK_MS requests a second, so under load it saturates and latency climbs,
// and a second instance on another core doubles what the formation can do. Nothing is kept between
// requests: any instance can answer anything, and a restart or a kill loses nothing but the requests in
// flight, which amnesia's router sends again to another instance.
import { createServer } from 'node:http';

const workMs = Number(process.env.WORK_MS ?? 5);
const instance = process.env.PS ?? 'web';

/** burns `ms` of this process's CPU time (not of wall time: on a busy machine a request still costs its
 *  5 ms of a core), with arithmetic rather than a library call, so no garbage and no helper thread */
function work(ms) {
  const start = process.cpuUsage();
  let x = 1;
  do for (let i = 0; i < 1000; i++) x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
  while (cpuMs(process.cpuUsage(start)) < ms);
  return x.toString(16);
}

const cpuMs = ({ user, system }) => (user + system) / 1000;

const server = createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  const result = work(workMs);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ instance, workMs, result }));
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`listening on port ${process.env.PORT}, ${workMs}ms of CPU per request`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
