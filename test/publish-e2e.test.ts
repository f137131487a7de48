// The published site in Debian's Chromium, driven by playwright-core: the
// five seed articles built in en and es from the committed bundles, served
// over HTTP as a host would, then checked as readers and tools meet them:
// axe-core (no serious or critical violation), no horizontal scroll at
// 390 px, a language switcher that lands on the same article, internal links
// that resolve, html-validate without errors, and a CSP that stops scripts.
import {cp, readdir, readFile, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import {createRequire} from 'node:module'
import {extname, join, normalize} from 'node:path'
import {HtmlValidate} from 'html-validate'
import type {Browser, Page} from 'playwright-core'
import {launchChromium} from './helpers/browser.ts'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {loadProject} from '../src/config.ts'
import {buildProject} from '../src/publish/run.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const baseUrl = 'https://news.example.org/'
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let temp: TempProject
let server: Server
let origin: string
let browser: Browser
let articles: string[]
const fallbackArticle = 'les-personnes-en-deplacement-font-partie-de-la-solution'

beforeAll(async () => {
  temp = await tempProject({}, {content: true})
  await cp(join(repoRoot, 'locales'), join(temp.root, 'locales'), {recursive: true})
  await writeFile(join(temp.root, 'passerelle.json'), JSON.stringify({publish: {baseUrl, siteName: {fr: 'OIM — Actualités', en: 'IOM News', es: 'OIM Noticias'}, variants: {en: 'en-GB'}}}))
  // One segment without a publishable translation, so the marked French fallback is on a page too.
  const path = join(temp.root, 'locales', 'en', `${fallbackArticle}.json`)
  const bundle = parseBundle(await readFile(path, 'utf8'), path)
  const body = bundle.segments.find((segment) => segment.kind === 'paragraph')!
  delete body.target
  body.state = 'new'
  await writeFile(path, serializeBundle(bundle))

  const project = await loadProject(temp.root)
  const report = await buildProject(project, {locales: ['en', 'es'], strict: false, minState: 'machine'})
  expect(report.failures).toEqual([])
  articles = (await readdir(join(temp.root, 'content', 'fr'))).filter((name) => !name.startsWith('_')).map((name) => name.replace(/\.md$/, ''))
  expect(articles).toHaveLength(5)

  server = await serve(join(temp.root, 'dist'))
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
  await temp?.cleanup()
})

/** A static host for dist/: files (a folder's index.html), 404 for anything else. */
function serve(root: string): Promise<Server> {
  const types: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.css': 'text/css', '.xml': 'application/xml', '.json': 'application/json', '.md': 'text/markdown'}
  const instance = createServer((request, response) => {
    // Like any web host: a folder is served by its index.html.
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html'))
    readFile(join(root, path)).then(
      (body) => {
        response.writeHead(200, {'content-type': types[extname(path)] ?? 'application/octet-stream'})
        response.end(body)
      },
      () => {
        response.writeHead(404)
        response.end()
      }
    )
  })
  return new Promise((resolve) => {
    instance.listen(0, '127.0.0.1', () => {
      const address = instance.address()
      origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
      resolve(instance)
    })
  })
}

const pages = () => ['index.html', ...['fr', 'en', 'es'].flatMap((locale) => [`${locale}/index.html`, ...articles.map((slug) => `${locale}/${slug}.html`)])]

async function open(path: string, width: number, options: {bypassCSP?: boolean} = {}): Promise<Page> {
  const context = await browser.newContext({viewport: {width, height: 844}, bypassCSP: options.bypassCSP ?? false})
  const page = await context.newPage()
  const response = await page.goto(`${origin}/${path}`)
  expect(response?.status(), path).toBe(200)
  return page
}

describe('published site in Chromium', () => {
  it('has no serious or critical axe-core violation on any page (menu open, so that its entries are checked too)', async () => {
    const found: string[] = []
    for (const path of pages()) {
      // axe is injected through DevTools, which the page's CSP would otherwise refuse.
      const page = await open(path, 1280, {bypassCSP: true})
      await page.evaluate(axeSource)
      if (path !== 'index.html') await page.locator('.site-menu summary').click()
      const result = await page.evaluate(async () => {
        const run = await (window as unknown as {axe: {run(): Promise<{passes: unknown[]; violations: {id: string; impact: string; nodes: unknown[]}[]}>}}).axe.run()
        return {passes: run.passes.length, serious: run.violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => `${item.id} (${item.nodes.length})`)}
      })
      expect(result.passes, `axe ran on ${path}`).toBeGreaterThan(10)
      found.push(...result.serious.map((item) => `${path}: ${item}`))
      await page.context().close()
    }
    expect(found).toEqual([])
  }, 300_000)

  it('has no horizontal scroll at 390 px, menu closed or open, and shows the fallback marked in French', async () => {
    const overflowing: string[] = []
    for (const path of pages()) {
      const page = await open(path, 390)
      const scrolls = () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
      if (await scrolls()) overflowing.push(path)
      if (path !== 'index.html') {
        await page.locator('.site-menu summary').click()
        expect(await page.locator('.site-menu li').first().isVisible()).toBe(true)
        if (await scrolls()) overflowing.push(`${path} (menu open)`)
      }
      if (path === `en/${fallbackArticle}.html`) {
        const fallback = page.locator('main span.fallback[lang="fr"]').first()
        expect(await fallback.isVisible()).toBe(true)
        expect(await fallback.evaluate((node) => getComputedStyle(node).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)')
        expect(await page.locator('.fallback-note').isVisible()).toBe(true)
      }
      await page.context().close()
    }
    expect(overflowing).toEqual([])
  }, 300_000)

  it('switches language to the same article, and back', async () => {
    for (const slug of articles) {
      const page = await open(`en/${slug}.html`, 1280)
      const title = await page.locator('h1').innerText()
      await page.locator('nav.languages a', {hasText: 'Español'}).click()
      await page.waitForURL(`${origin}/es/${slug}.html`)
      expect(await page.locator('html').getAttribute('lang')).toBe('es')
      expect(await page.locator('nav.languages [aria-current="page"]').innerText()).toBe('Español')
      await page.locator('nav.languages a', {hasText: 'English'}).click()
      await page.waitForURL(`${origin}/en/${slug}.html`)
      expect(await page.locator('h1').innerText()).toBe(title)
      await page.context().close()
    }
  }, 120_000)

  it('resolves every internal link, and every canonical and hreflang URL to a built page', async () => {
    const broken: string[] = []
    const page = await open('en/index.html', 1280)
    for (const path of pages()) {
      await page.goto(`${origin}/${path}`)
      const urls = await page.evaluate(() => [
        ...[...document.querySelectorAll('a[href]')].map((node) => (node as HTMLAnchorElement).href),
        ...[...document.querySelectorAll('link[href]')].map((node) => (node as HTMLLinkElement).href)
      ])
      for (const url of urls) {
        const local = url.startsWith(baseUrl) ? `${origin}/${url.slice(baseUrl.length)}` : url
        if (!local.startsWith(origin)) continue
        const response = await page.request.get(local.split('#')[0]!)
        if (response.status() !== 200) broken.push(`${path} → ${url} (${response.status()})`)
      }
    }
    await page.context().close()
    expect(broken).toEqual([])
  }, 180_000)

  it('runs no inline script: the Content-Security-Policy refuses it', async () => {
    const page = await open(`en/${articles[0]}.html`, 1280)
    const refused: string[] = []
    page.on('console', (message) => refused.push(message.text()))
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'document.body.dataset.ran = "yes"'
      document.body.append(script)
    })
    expect(await page.locator('body').getAttribute('data-ran')).toBeNull()
    await expect.poll(() => refused.join('\n')).toMatch(/Content Security Policy/)
    await page.context().close()
  })
})

describe('published site under html-validate', () => {
  it('reports no error on any page', async () => {
    const validator = new HtmlValidate(JSON.parse(await readFile(join(repoRoot, '.htmlvalidate.json'), 'utf8')))
    const errors: string[] = []
    for (const path of pages()) {
      const report = await validator.validateString(await readFile(join(temp.root, 'dist', path), 'utf8'), path)
      for (const result of report.results) for (const message of result.messages) errors.push(`${path}:${message.line}: ${message.ruleId} ${message.message}`)
    }
    expect(errors).toEqual([])
  })
})
