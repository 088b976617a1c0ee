// Bundles the CLI's own modules into a few files: loading ~60 small ES modules cost about 100 ms at every
// start on a 2-core machine; a bundle loads in a fraction of that.
//
// Packages stay external, except three groups. The terminal UI's (ink, react and what they import): loaded as
// ~150 separate modules they took ~50 MB of memory before drawing anything; bundled, with React's production
// build chosen here, ~20 MB. That chunk is loaded only when the UI starts. And the packages that `start`
// loads at every run (file watching, .env parsing): resolved and loaded as separate packages they cost
// ~20-30 ms of CPU at every start. And what only `check --replay` loads (a browser-like cookie jar, globs),
// so that the published package needs no dependency for it.
import { copyFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const BUNDLED_PACKAGES = /^(ink|react|chokidar|readdirp|ignore|tough-cookie|picomatch)(\/|$)/;

const externalsExceptBundled = {
  name: 'externals-except-bundled',
  setup(build) {
    // ink's development-only devtools bridge (needs react-devtools-core, not a dependency).
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'absent' }));
    build.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'export default {};' }));
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const fromBundledPackage = args.importer.includes('/node_modules/');
      if (args.path.startsWith('node:') || !(fromBundledPackage || BUNDLED_PACKAGES.test(args.path))) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  // the CLI, the programmatic API (package.json "exports") and the process `check --replay` replays from,
  // sharing chunks
  entryPoints: { amnesia: 'src/cli/bin.ts', api: 'src/index.ts', 'replay-client': 'src/cli/replay-client.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalsExceptBundled],
  // The bundled React and ink read NODE_ENV to pick their build; ours is the production one.
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages in the bundle (ignore, some of the UI's) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __amnesiaRequire } from 'node:module'; const require = __amnesiaRequire(import.meta.url);",
  },
  jsx: 'automatic',
  sourcemap: true,
  logLevel: 'warning',
});
// the watchdog is a shell script, found next to the code that starts it
copyFileSync('src/supervisor/watchdog.sh', 'dist/bundle/watchdog.sh');
