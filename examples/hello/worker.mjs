// A background worker: picks up a "job" every few seconds.
let job = 0;
console.log(`worker ${process.env.PS} ready (GREETING=${process.env.GREETING ?? 'unset'})`);
const timer = setInterval(() => console.log(`processed job ${++job}`), 3000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('finishing current job, bye');
  process.exit(0);
});
