// The browser side, built in memory by esbuild from `client/*.ts` the first
// time it is asked for (no build step before `passerelle review`), and the
// one HTML page, whose only dynamic content is the CSRF secret (hex).
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

interface ClientAssets {
  js: string
  css: string
}

// Set by scripts/compile.mjs: the compiled CLI in lib/ no longer sits beside client/.
declare const PASSERELLE_REVIEW_CLIENT: string | undefined
const clientDir = fileURLToPath(new URL(typeof PASSERELLE_REVIEW_CLIENT === 'string' ? PASSERELLE_REVIEW_CLIENT : './client/', import.meta.url))

let cached: Promise<ClientAssets> | undefined

/** Bundle `client/main.ts` and `client/styles.css` (memoised per process). */
export function clientAssets(): Promise<ClientAssets> {
  cached ??= bundle().catch((error: unknown) => {
    cached = undefined
    throw error
  })
  return cached
}

async function bundle(): Promise<ClientAssets> {
  const result = await build({
    entryPoints: {app: `${clientDir}main.ts`, styles: `${clientDir}styles.css`},
    bundle: true,
    write: false,
    outdir: '/assets',
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    charset: 'utf8',
    legalComments: 'none',
    minify: false,
    sourcemap: false,
    logLevel: 'silent'
  })
  const find = (suffix: string) => result.outputFiles.find((file) => file.path.endsWith(suffix))?.text ?? ''
  return {js: find('app.js'), css: find('styles.css')}
}

export function pageHtml(csrfSecret: string): string {
  if (!/^[0-9a-f]+$/.test(csrfSecret)) throw new Error('review: CSRF secret must be hex')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="passerelle-csrf" content="${csrfSecret}">
<title>Passerelle · Review</title>
<link rel="stylesheet" href="/assets/styles.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
</body>
</html>
`
}
