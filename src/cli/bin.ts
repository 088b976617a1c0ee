import { colorWanted } from './color.js';
import { main } from './main.js';

// The process edge: real argv, env, streams and signals in; the exit code out.
const stdout = process.stdout;
const colorByDefault = colorWanted(stdout, process.env);
stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  signals: process,
  colorByDefault,
});
process.exitCode = code;
