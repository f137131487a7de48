import {execFile} from 'node:child_process'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {loadProject} from '../src/config.ts'
import {formatPercent} from '../src/publish/index.ts'
import {listFiles} from '../src/publish/output.ts'
import {buildProject} from '../src/publish/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const run = promisify(execFile)
const publishConfig = JSON.stringify({publish: {baseUrl: 'https://news.example.org/site', siteName: 'OIM', variants: {en: 'en-GB'}}})

const article = `---
title: La migration et les villes
source: 000.txt
date: 2017-11-16
---

L'OIM soutient les villes. Voir [le site](https://www.iom.int) et **le rapport**.

Contact : decorte@un.org.
`

const site = `---
title: Navigation du site
---

- Qui sommes nous
- Notre travail
`

let temp: TempProject
afterEach(() => temp?.cleanup())

const read = (path: string) => readFile(join(temp.root, path), 'utf8')

describe('build', () => {
  it('writes Markdown, HTML with lang and absolute canonical and hreflang, an index per locale and i18next bundles', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/_site.md': site, 'passerelle.json': publishConfig})
    await translateProject(temp.project, {locales: ['en', 'es'], engine: faultEngine()})
    const report = await buildProject(temp.project, {locales: ['en', 'es'], strict: false, minState: 'machine'})
    expect(report.failures).toEqual([])

    const md = await read('dist/en/villes.md')
    expect(md).toMatch(/^---\n/)
    expect(md).toContain('lang: en')
    expect(md).toContain('](https://www.iom.int)')
    expect(md).toContain('decorte@un.org')

    const html = await read('dist/en/villes.html')
    expect(html).toContain('<html lang="en-GB" dir="ltr">')
    expect(html).toContain('<link rel="canonical" href="https://news.example.org/site/en/villes.html">')
    expect(html).toContain('<link rel="alternate" hreflang="fr" href="https://news.example.org/site/fr/villes.html">')
    expect(html).toContain('<link rel="alternate" hreflang="en-GB" href="https://news.example.org/site/en/villes.html">')
    expect(html).toContain('<link rel="alternate" hreflang="es" href="https://news.example.org/site/es/villes.html">')
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="https://news.example.org/site/fr/villes.html">')
    // en is published as en-GB: British date order.
    expect(html).toContain('<time datetime="2017-11-16">16 November 2017</time>')
    expect(html).toMatch(/<a href="https:\/\/www\.iom\.int">[^<]+<\/a>/)
    expect(html).toMatch(/<strong>[^<]+<\/strong>/)
    expect(html).toMatch(/<nav class="site-menu" aria-label="Menu">[\s\S]*<li>[^<]+<\/li>/)
    expect(html).not.toMatch(/<small>|\d+ ?%/)
    expect(await read('dist/es/villes.html')).toContain('<time datetime="2017-11-16">16 de noviembre de 2017</time>')
    expect(await read('dist/fr/villes.html')).toContain('16 novembre 2017')

    const index = await read('dist/en/index.html')
    expect(index).toContain('href="villes.html"')
    expect(index).not.toContain('_site')
    expect(index).not.toMatch(/<small>|\d+ ?%/)

    const root = await read('dist/index.html')
    expect(root).toContain('<link rel="canonical" href="https://news.example.org/site/">')
    expect(root).toContain('<a href="es/index.html" lang="es">Español</a>')
    expect(root).toContain('<a href="en/index.html" lang="en-GB">English</a>')

    const sitemap = await read('dist/sitemap.xml')
    expect(sitemap).toContain('<loc>https://news.example.org/site/es/villes.html</loc>')
    expect(sitemap).toContain('<xhtml:link rel="alternate" hreflang="en-GB" href="https://news.example.org/site/en/villes.html"/>')
    const feed = await read('dist/es/feed.xml')
    expect(feed).toContain('<id>https://news.example.org/site/es/villes.html</id>')
    expect(feed).toContain('<updated>2017-11-16T00:00:00Z</updated>')

    const runtime = JSON.parse(await read('dist/i18n/en/villes.json')) as Record<string, string>
    const bundle = parseBundle(await read('locales/en/villes.json'), 'en')
    expect(Object.keys(runtime).sort()).toEqual(bundle.segments.map((segment) => segment.id).sort())
    expect(Object.values(runtime)).toContain(bundle.segments[0]!.target)
  })

  it('publishes a locale as a Latin American variant (es -> es-419): lang, hreflang, sitemap and dates follow it', async () => {
    const config = JSON.stringify({publish: {baseUrl: 'https://news.example.org/site', variants: {es: 'es-419'}}})
    temp = await tempProject({'content/fr/villes.md': article, 'passerelle.json': config})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    const report = await buildProject(temp.project, {locales: ['es'], strict: false, minState: 'machine'})
    expect(report.failures).toEqual([])
    const html = await read('dist/es/villes.html')
    expect(html).toContain('<html lang="es-419" dir="ltr">')
    expect(html).toContain('<link rel="alternate" hreflang="es-419" href="https://news.example.org/site/es/villes.html">')
    expect(html).not.toContain('hreflang="es"')
    expect(html).toContain('<time datetime="2017-11-16">16 de noviembre de 2017</time>')
    expect(await read('dist/sitemap.xml')).toContain('<xhtml:link rel="alternate" hreflang="es-419" href="https://news.example.org/site/es/villes.html"/>')
    expect(await read('dist/index.html')).toContain('<a href="es/index.html" lang="es-419">')
  })

  it('falls back to French for unpublishable segments, marked lang="fr", and --strict fails naming article and segment, leaving dist/ as it was', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/autre.md': '---\ntitle: Autre\n---\n\nUne phrase.\n'})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const lenientFirst = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(lenientFirst.published).toBe(true)
    const good = await read('dist/en/villes.html')

    const path = 'locales/en/villes.json'
    const bundle = parseBundle(await read(path), path)
    const dropped = bundle.segments.find((segment) => segment.source.startsWith('Contact'))!
    delete dropped.target
    dropped.state = 'new'
    await temp.write(path, serializeBundle(bundle))

    const strict = await buildProject(temp.project, {locales: ['en'], strict: true, minState: 'machine'})
    expect(strict.published).toBe(false)
    expect(strict.failures.map((failure) => failure.code)).toEqual(['E_MISSING'])
    expect(strict.failures[0]!.message).toContain(`en villes, segment ${dropped.id}: no translation`)
    expect(strict.failures[0]!.message).toMatch(/content\/fr\/villes\.md/)
    expect(await read('dist/en/villes.html')).toBe(good)

    const lenient = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(lenient.failures).toEqual([])
    expect(await read('dist/en/villes.md')).toContain('Contact : <decorte@un.org>.')
    expect(await read('dist/en/villes.html')).toMatch(/<span lang="fr" class="fallback fallback-marked">Contact : <a href="mailto:decorte@un.org">decorte@un.org<\/a>\.<\/span>/)
    const report = JSON.parse(await read('dist/report.json')) as {locales: {locale: string; articles: {article: string; fallback: number; held: {segment: string; reason: string}[]}[]}[]}
    const villes = report.locales.find((item) => item.locale === 'en')!.articles.find((item) => item.article === 'villes')!
    expect(villes.fallback).toBe(1)
    expect(villes.held).toEqual([expect.objectContaining({segment: dropped.id, reason: 'missing'})])
  })

  it('publishes the French sentence for a target with a QA error, lists it in the report, and `build --strict` exits 1 keeping the previous dist/', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    expect((await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})).published).toBe(true)
    const good = await read('dist/en/villes.html')
    const before = await listFiles(join(temp.root, 'dist'))

    const path = 'locales/en/villes.json'
    const bundle = parseBundle(await read(path), path)
    const wrong = bundle.segments.find((segment) => segment.source.startsWith("L'OIM"))!
    wrong.target = 'IOM supports 20,000 cities.'
    wrong.qa = [{rule: 'numbers', severity: 'error', message: 'number 20,000 is not in the source'}]
    await temp.write(path, serializeBundle(bundle))

    const strict = await run(process.execPath, [join(repoRoot, 'bin', 'passerelle.js'), '-C', temp.root, 'build', '--to', 'en', '--strict'], {encoding: 'utf8'}).then(
      () => ({code: 0, stderr: ''}),
      (error: {code: number; stderr: string}) => error
    )
    expect(strict.code).toBe(1)
    expect(strict.stderr).toContain(`en villes, segment ${wrong.id}: QA numbers: number 20,000 is not in the source`)
    expect(await read('dist/en/villes.html')).toBe(good)
    expect(await listFiles(join(temp.root, 'dist'))).toEqual(before)

    const lenient = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(lenient.published).toBe(true)
    expect(lenient.summary.join('\n')).toContain(`blocked by QA: segment ${wrong.id}: QA numbers`)
    const html = await read('dist/en/villes.html')
    expect(html).not.toContain('20,000')
    expect(html).toMatch(/<span lang="fr" class="fallback fallback-marked">L(&#39;|')OIM soutient les villes\.<\/span>/)
    const report = JSON.parse(await read('dist/report.json')) as {locales: {locale: string; articles: {article: string; blockedByQa: number; held: {segment: string; reason: string}[]}[]}[]}
    const villes = report.locales.find((item) => item.locale === 'en')!.articles.find((item) => item.article === 'villes')!
    expect(villes.blockedByQa).toBe(1)
    expect(villes.held).toEqual([expect.objectContaining({segment: wrong.id, reason: 'qa'})])
  })

  it('publishes only segments at or above --min-state', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const report = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'approved'})
    // Nothing is approved: no English page at all rather than a French page that claims to be English.
    expect(await listFiles(join(temp.root, 'dist', 'en'))).toEqual(['index.html'])
    expect(report.summary[1]).toMatch(/^en: 0 of 1 articles published; segments: 0 of \d+ published \(0%\)/)
  })

  it('keeps unsafe link URLs out of Markdown and HTML, and forbids scripts through a Content-Security-Policy', async () => {
    temp = await tempProject({
      'content/fr/x.md': '---\ntitle: Liens\n---\n\nVoir [ceci](javascript:alert(1)) et [cela](JaVa\tScRiPt:alert(2)) et [là](https://www.iom.int) et [ici](autre.html).\n\n[ref]: data:text/html,x\n\nEt [encore][ref] ![img](javascript:alert(3)).\n'
    })
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    for (const locale of ['fr', 'en']) {
      const html = await read(`dist/${locale}/x.html`)
      expect(html).not.toMatch(/javascript|data:text/i)
      expect(html).toContain('href="https://www.iom.int"')
      expect(html).toContain('href="autre.html"')
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'">`.replace(/'/g, '&#39;'))
      expect(await read(`dist/${locale}/x.md`)).not.toMatch(/javascript|data:text/i)
    }
  })

  it('drops the pages of an article that is no longer published', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/autre.md': '---\ntitle: Autre\n---\n\nUne phrase.\n'})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(await read('dist/en/autre.html')).toContain('<html lang="en"')
    await rm(join(temp.root, 'locales/en/autre.json'))
    const again = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(again.removed.sort()).toEqual(['en/autre.html', 'en/autre.md', 'i18n/en/autre.json'])
    const files = await listFiles(join(temp.root, 'dist'))
    expect(files.filter((file) => file.includes('autre'))).toEqual(['fr/autre.html', 'fr/autre.md'])
    expect(await read('dist/en/index.html')).not.toContain('autre.html')
    expect(await read('dist/fr/autre.html')).not.toContain('../en/autre.html')
  })

  it('renders the site menu from _site.md list items, keeping their Markdown links', async () => {
    temp = await tempProject({
      'content/fr/villes.md': article,
      'content/fr/_site.md': '---\ntitle: Navigation\n---\n\n## Notre travail\n\nUn paragraphe qui n’est pas un menu.\n\n- [Migration et villes](villes.html)\n- Données et recherche\n'
    })
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    const html = await read('dist/en/villes.html')
    const menu = html.slice(html.indexOf('<nav class="site-menu"'), html.indexOf('</nav>', html.indexOf('<nav class="site-menu"')))
    expect(menu).toMatch(/<h2>[^<]+<\/h2>/)
    expect(menu).toMatch(/<li>[^<]*<a href="villes\.html">[^<]+<\/a>[^<]*<\/li>/)
    expect(menu.match(/<li>/g)).toHaveLength(2)
    expect(menu).not.toMatch(/paragraphe|paragraph/i)
  })

  it('uses a publisher template from the project folder', async () => {
    temp = await tempProject({
      'content/fr/villes.md': article,
      'templates/footer.mustache': '<footer class="site-footer"><p>Mentions légales — {{siteName}}</p></footer>\n</body>\n</html>\n',
      'templates/style.css': 'body { color: #000; }\n'
    })
    const report = await buildProject(temp.project, {locales: [], strict: false, minState: 'machine'})
    expect(await read('dist/fr/villes.html')).toContain('<p>Mentions légales — Passerelle</p>')
    expect(await read('dist/style.css')).toBe('body { color: #000; }\n')
    expect(report.summary.at(-1)).toBe('templates from templates/: footer.mustache, style.css')
  })

  it('keeps lang="fr" on fallback text but drops the visual marker when publish.fallbackMarker is false', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'passerelle.json': JSON.stringify({publish: {fallbackMarker: false}})})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = 'locales/en/villes.json'
    const bundle = parseBundle(await read(path), path)
    // --min-state machine: `auto` would mark the fallback; the setting turns that off.
    const dropped = bundle.segments.find((segment) => segment.source.startsWith('Contact'))!
    delete dropped.target
    dropped.state = 'new'
    await temp.write(path, serializeBundle(bundle))
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    const html = await read('dist/en/villes.html')
    expect(html).toMatch(/<span lang="fr" class="fallback">Contact : /)
    expect(html).not.toContain('fallback-marked')
    expect(html).not.toContain('class="fallback-note"')
  })

  it('lists articles newest first in the index and the feed', async () => {
    temp = await tempProject({
      'content/fr/ancien.md': '---\ntitle: Ancien\ndate: 2017-06-20\n---\n\nUne phrase.\n',
      'content/fr/recent.md': '---\ntitle: Récent\ndate: 2023-09-18\n---\n\nUne autre phrase.\n',
      'content/fr/sans-date.md': '---\ntitle: Sans date\n---\n\nEncore une phrase.\n',
      'passerelle.json': publishConfig
    })
    await buildProject(temp.project, {locales: [], strict: false, minState: 'machine'})
    const order = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1])
    expect(order(await read('dist/fr/index.html'), /<li><a href="([^"]+)\.html"/g)).toEqual(['recent', 'ancien', 'sans-date'])
    expect(order(await read('dist/fr/feed.xml'), /<entry>\s*<id>https:\/\/news\.example\.org\/site\/fr\/([^<]+)\.html<\/id>/g)).toEqual(['recent', 'ancien', 'sans-date'])
    expect(await read('dist/fr/index.html')).toContain('<time datetime="2023-09-18">18 septembre 2023</time>')
  })

  it('refuses a publishing variant of another language', async () => {
    temp = await tempProject({})
    await temp.write('passerelle.json', JSON.stringify({publish: {variants: {en: 'es-419'}}}))
    await expect(loadProject(temp.root)).rejects.toMatchObject({code: 'E_CONFIG'})
  })

  it('renders markup from sources and translations inert', async () => {
    temp = await tempProject({'content/fr/x.md': '---\ntitle: "<script>alert(1)</script>"\n---\n\nTexte <img src=x onerror=alert(1)> ici.\n'})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    const html = await read('dist/en/x.html')
    expect(html).not.toMatch(/<script|<\/script|<img/)
    // The title still shows the characters, escaped.
    expect(html).toMatch(/<title>[^<]*&#60;s[^<]*&#62;/)
  })

  it('does not publish a target whose tags differ from the source, and --strict fails on it', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = 'locales/en/villes.json'
    const bundle = parseBundle(await read(path), path)
    const linked = bundle.segments.find((segment) => segment.source.includes('<1>'))!
    linked.target = 'See the site and the report.'
    await temp.write(path, serializeBundle(bundle))

    const lenient = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(lenient.failures).toEqual([])
    expect(await read('dist/en/villes.md')).toContain('[le site](https://www.iom.int)')
    expect(await read('dist/en/villes.md')).not.toContain('See the site and the report.')
    const strict = await buildProject(temp.project, {locales: ['en'], strict: true, minState: 'machine'})
    expect(strict.failures.map((failure) => failure.code)).toEqual(['E_UNPUBLISHED'])
    expect(strict.failures[0]!.message).toContain(`segment ${linked.id}: its inline tags differ from the source`)
  })

  it('fails --strict when the site navigation falls back, without touching dist/', async () => {
    temp = await tempProject({'content/fr/villes.md': article, 'content/fr/_site.md': site})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = 'locales/en/_site.json'
    const bundle = parseBundle(await read(path), path)
    delete bundle.segments[0]!.target
    bundle.segments[0]!.state = 'new'
    await temp.write(path, serializeBundle(bundle))
    const report = await buildProject(temp.project, {locales: ['en'], strict: true, minState: 'machine'})
    expect(report.failures.map((failure) => [failure.code, failure.file])).toContainEqual(['E_MISSING', 'content/fr/_site.md'])
    await expect(read('dist/en/villes.html')).rejects.toThrow(/ENOENT/)
  })

  it('rewrites nothing when nothing changed', async () => {
    temp = await tempProject({'content/fr/villes.md': article})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    const again = await buildProject(temp.project, {locales: ['en'], strict: false, minState: 'machine'})
    expect(again.written).toEqual([])
    expect(again.summary.at(-1)).toMatch(/^wrote 0 changed files under dist\/ \(the rest already up to date\); set publish.baseUrl/)
  })

  it('never rounds a share that is not whole up to 100 % or down to 0 %', () => {
    expect(formatPercent(390, 391, 'en')).toBe('99%')
    expect(formatPercent(391, 391, 'en')).toBe('100%')
    expect(formatPercent(1, 1000, 'en')).toBe('1%')
    expect(formatPercent(0, 10, 'en')).toBe('0%')
    expect(formatPercent(390, 391, 'fr')).toBe('99\u00a0%')
  })
})
