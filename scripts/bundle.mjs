// Bundles the CLI's own modules into a few files (packages stay external): loading ~60 small ES modules
// cost about 100 ms at every start on a 2-core machine; a bundle loads in a fraction of that.
import { build } from 'esbuild';

await build({
  entryPoints: { amnesia: 'src/cli/bin.ts', 'watchdog-main': 'src/supervisor/watchdog-main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  sourcemap: true,
  logLevel: 'warning',
});
