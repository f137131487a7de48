// Screenshots of a published article for the README (docs/site-article-*.png):
// the seed content and committed bundles built into a temporary project,
// served over HTTP, and shot in Debian's Chromium at 390 px and 1280 px.
// Run: npx tsx scripts/site-screenshots.ts
import {cp, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {extname, join, normalize} from 'node:path'
import {chromium} from 'playwright-core'
import {loadProject} from '../src/config.ts'
import {buildProject} from '../src/publish/run.ts'

const repo = new URL('../', import.meta.url).pathname
const slug = 'le-gouvernement-belge-et-la-ville-de-malines-organisent-une'
const root = await mkdtemp(join(tmpdir(), 'passerelle-shots-'))
try {
  for (const folder of ['content', 'locales', 'glossary']) await cp(join(repo, folder), join(root, folder), {recursive: true})
  await writeFile(
    join(root, 'passerelle.json'),
    JSON.stringify({publish: {baseUrl: 'https://news.example.org/', siteName: {fr: 'OIM — Actualités', en: 'IOM News', es: 'OIM Noticias'}, variants: {en: 'en-GB'}}})
  )
  const report = await buildProject(await loadProject(root), {locales: ['en', 'es'], strict: false, minState: 'machine'})
  for (const line of report.summary) console.log(line)
  const dist = join(root, 'dist')
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
    readFile(join(dist, path)).then(
      (body) => {
        response.writeHead(200, {'content-type': extname(path) === '.css' ? 'text/css' : 'text/html; charset=utf-8'})
        response.end(body)
      },
      () => {
        response.writeHead(404)
        response.end()
      }
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/en/${slug}.html`
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run']})
  for (const [width, height] of [
    [390, 844],
    [1280, 900]
  ] as const) {
    const page = await browser.newPage({viewport: {width, height}, deviceScaleFactor: 1})
    await page.goto(url)
    const file = join(repo, 'docs', `site-article-${width}.png`)
    await page.screenshot({path: file})
    console.log(`wrote ${file}`)
    await page.close()
  }
  await browser.close()
  server.close()
} finally {
  await rm(root, {recursive: true, force: true})
}
