// Compile the CLI to JavaScript in lib/ (gitignored; `npm ci` runs this as
// `prepare`, `npm test` before the tests), so `passerelle` starts in one
// Node process without a TypeScript loader. dist/ stays the build's output.
// One ESM bundle with code splitting: each command's stage is its own chunk,
// loaded only when that command runs; npm packages stay external.
import {build} from 'esbuild'
import {rm} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}lib`

await rm(outdir, {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: {cli: 'src/cli.ts'},
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // The review app bundles its browser client from the TypeScript sources at
  // start-up; from lib/ they are one folder up, in src/.
  define: {PASSERELLE_REVIEW_CLIENT: JSON.stringify('../src/review/client/')},
  logLevel: 'warning'
})
