// Compile the CLI to JavaScript in lib/ (gitignored; `npm ci` runs this as
// `prepare`, `npm test` before the tests), so `passerelle` starts in one
// Node process without a TypeScript loader. dist/ stays the build's output.
// One ESM bundle with code splitting: each command's stage is its own chunk,
// loaded only when that command runs. The pure-JavaScript packages of the
// everyday commands (segment, status, build: unified/remark/rehype and their
// hundred-odd small modules, yaml, zod, commander, formatjs, i18next,
// mustache) are bundled in: resolving and compiling them file by file was most
// of a command's start-up (about 300 ms of CPU for remark and yaml alone,
// 65 ms bundled). The others (native addons, esbuild itself, pg, deepl-node,
// hono…) stay external and load from node_modules as before.
import {build} from 'esbuild'
import {execFileSync} from 'node:child_process'
import {cp, rm} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}lib`

const bundledPackages = /^(unified|remark-[a-z-]+|rehype-[a-z-]+|yaml|zod|commander|@formatjs\/[a-z-]+|i18next|mustache)$/
const alwaysExternal = new Set(['esbuild', '@node-rs/argon2', 'pg', 'pg-native', 'deepl-node'])
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')

/** Bundle the packages above and everything they import; leave every other package external. */
const choosePackages = {
  name: 'choose-packages',
  setup(build) {
    build.onResolve({filter: /^[^./]/}, (args) => {
      if (args.path.startsWith('node:')) return {external: true}
      const name = packageOf(args.path)
      if (alwaysExternal.has(name)) return {external: true}
      // A dependency of a bundled package is bundled with it.
      if (args.importer.includes('/node_modules/')) return undefined
      return bundledPackages.test(name) ? undefined : {external: true}
    })
  }
}

/**
 * zod re-exports its 60-odd message locales (`z.locales`, `z.core.locales`)
 * from its index; Passerelle only uses the English messages zod installs by
 * default, and the other locales were 40% of the zod chunk every command
 * loads (it parses at start-up). The re-export keeps `en` only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({filter: /^\.\.\/locales\/index\.js$/}, (args) =>
      /\/node_modules\/zod\/v4\/(classic|core|mini)\/$/.test(`${args.resolveDir}/`) ? {path: `${args.resolveDir}/../locales/en.js`, namespace: 'zod-locales'} : undefined
    )
    build.onLoad({filter: /.*/, namespace: 'zod-locales'}, (args) => ({
      contents: `export {default as en} from ${JSON.stringify(args.path)}`,
      resolveDir: root
    }))
  }
}

// The segmenter's identity (src/segment/identity.ts), fixed now for the compiled code: the hash of the
// files that decide how a text is cut, computed by that module's own function.
const identityModule = await build({absWorkingDir: root, entryPoints: ['src/segment/identity.ts'], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning'})
const {hashSegmenterInputs} = await import(`data:text/javascript;base64,${Buffer.from(identityModule.outputFiles[0].text).toString('base64')}`)
const segmenterIdentity = JSON.stringify(hashSegmenterInputs(root))

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
  plugins: [zodEnglishOnly, choosePackages],
  // CommonJS inside bundled packages (yaml) requires Node built-ins.
  banner: {js: "import {createRequire as __passerelleRequire} from 'node:module'; const require = __passerelleRequire(import.meta.url);"},
  sourcemap: 'linked',
  // The review app bundles its browser client from the TypeScript sources at
  // start-up; from lib/ they are one folder up, in src/.
  define: {PASSERELLE_REVIEW_CLIENT: JSON.stringify('../src/review/client/'), PASSERELLE_SEGMENTER_IDENTITY: segmenterIdentity},
  logLevel: 'warning'
})
// `segment <file>` on its own: one CommonJS file with everything it uses (the
// parser, remark, yaml), which bin/passerelle.js loads with a V8 code cache
// (src/io/code-cache.ts). A process per file then neither resolves ES modules
// nor compiles the parser again: about 40 % of such a run's CPU time.
// lib/code-cache.cjs is that loader, CommonJS like bin/passerelle.js, which
// requires it.
await build({
  absWorkingDir: root,
  entryPoints: {segment: 'src/cli-segment.ts', 'code-cache': 'src/io/code-cache.ts'},
  outdir,
  outExtension: {'.js': '.cjs'},
  minify: true,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [choosePackages],
  logLevel: 'warning'
})
// The first run writes the cache (lib/segment.cjs.cache); run it here once,
// on an article with front matter, headings, lists, a table, links and
// emphasis, so that the cache holds what a typical article needs.
execFileSync(process.execPath, [`${root}bin/passerelle.js`, 'segment', `${root}scripts/code-cache-sample.md`], {stdio: 'ignore'})
// The default page templates are read at run time beside the code that loads them
// (src/publish/templates.ts resolves ./templates/ from its own URL).
await cp(`${root}src/publish/templates`, `${outdir}/templates`, {recursive: true})
