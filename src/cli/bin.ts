import { setFlagsFromString } from 'node:v8';

import { colorWanted } from './color.js';
import { main } from './main.js';

// The process edge: real argv, env, streams and signals in; the exit code out.

// V8 unrolls WebAssembly loops when it optimizes a hot function. The router's HTTP parser (undici's llhttp)
// is one huge loop, and optimizing it with unrolling took ~13 MB more memory for a moment at the first burst
// of traffic: the manager's peak RSS under load (bench:tui) went from 136 to 150 MB with it. Without it,
// callgrind counts the same instructions per routed request within 1% (bench:instructions). Set before the
// parser is first compiled, which is when the flag is read; it touches only WebAssembly (the parser, and
// the terminal UI's layout engine).
setFlagsFromString('--no-wasm-loop-unrolling');
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
